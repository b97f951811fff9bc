-- V11: activity tags, and the indexes of ListExecutions by a version or alias ARN.
-- The tags of activities (CreateActivity's tags, TagResource, UntagResource): a JSON object of
-- key to value, in the order the tags were given.
ALTER TABLE activities ADD COLUMN tags TEXT NOT NULL DEFAULT '{}';

-- ListExecutions by a version or alias ARN reads the origins by version and by alias.
CREATE INDEX execution_origins_by_version ON execution_origins (version_arn);
CREATE INDEX execution_origins_by_alias ON execution_origins (alias_arn);
