-- The tags of activities (CreateActivity's tags, TagResource, UntagResource): a JSON object of
-- key to value, in the order the tags were given.
ALTER TABLE activities ADD COLUMN tags TEXT NOT NULL DEFAULT '{}';
