-- A real deployment (issue 10 §4): a bureau imports its own unit tree and edits it in
-- the admin pages. Units carry the bureau's code (单位代码, the natural key of a
-- re-import), the administrative district they serve (行政区划, e.g. 吴兴区), their
-- public duty phone, address and office hours, and can be retired (撤销: kept for the
-- history of their appeals, offered for nothing new). Departments and reply templates
-- can be retired too (defect 13). Keep in step with the other backend's 0010.
ALTER TABLE units ADD COLUMN code TEXT;
ALTER TABLE units ADD COLUMN district TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN duty_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN hours TEXT NOT NULL DEFAULT '';
ALTER TABLE units ADD COLUMN retired BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX units_code ON units (code);

ALTER TABLE departments ADD COLUMN retired BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE reply_templates ADD COLUMN retired BOOLEAN NOT NULL DEFAULT FALSE;

-- The audit-log viewer filters by subject (an appeal), by actor and by time, newest
-- first; each filter is one index range instead of a scan of the whole chain.
CREATE INDEX audit_log_subject ON audit_log (subject, seq);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_at ON audit_log (at);
