-- Queues (the SQS-compatible queue service) and their messages, PostgreSQL. Instants are epoch
-- milliseconds. Attributes and tags are JSON objects of strings; a queue's redrive policy is kept
-- as the dead-letter queue's name and the receive count past which a message moves there.
CREATE TABLE queues (
  name               TEXT    NOT NULL PRIMARY KEY,
  attributes         TEXT    NOT NULL,
  tags               TEXT    NOT NULL,
  dead_letter_target TEXT,
  max_receive_count  INTEGER,
  created_ms         BIGINT  NOT NULL,
  modified_ms        BIGINT  NOT NULL,
  purged_ms          BIGINT
);
CREATE INDEX queues_by_dead_letter_target ON queues (dead_letter_target, name);

CREATE TABLE queue_messages (
  message_id             TEXT    NOT NULL PRIMARY KEY,
  queue_name             TEXT    NOT NULL,
  body                   TEXT    NOT NULL,
  message_attributes     TEXT    NOT NULL,
  system_attributes      TEXT    NOT NULL,
  md5_body               TEXT    NOT NULL,
  md5_message_attributes TEXT,
  md5_system_attributes  TEXT,
  sender_id              TEXT    NOT NULL,
  sent_ms                BIGINT  NOT NULL,
  visible_ms             BIGINT  NOT NULL,
  receive_count          INTEGER NOT NULL,
  first_receive_ms       BIGINT,
  receipt_handle         TEXT,
  dead_letter_source     TEXT
);
CREATE INDEX queue_messages_by_age ON queue_messages (queue_name, sent_ms, message_id);
CREATE INDEX queue_messages_by_visibility ON queue_messages (queue_name, visible_ms);
