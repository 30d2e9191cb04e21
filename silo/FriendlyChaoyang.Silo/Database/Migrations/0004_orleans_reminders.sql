-- 0004: Orleans reminders (Microsoft.Orleans.Reminders.AdoNet 10.4.2).
--
-- Contract, as read from the 10.4.2 provider (RelationalOrleansQueries):
-- * Required keys: ReadReminderRowsKey, ReadReminderRowKey, ReadRangeRows1Key, ReadRangeRows2Key,
--   UpsertReminderRowKey, DeleteReminderRowKey, DeleteReminderRowsKey.
-- * Bound parameters: ServiceId text, GrainId text (GrainId.ToString(), e.g. "rider/42"), ReminderName text,
--   StartTime DbType.DateTime (timestamptz, UTC), Period int4 milliseconds (int8 when above int.MaxValue),
--   GrainHash / BeginHash / EndHash int4 = the uint ring hash cast to a signed int, Version int4 (the ETag).
-- * Reads return GrainId, ReminderName, StartTime, Period (read as Int64 or Int32), Version.
-- * Ranges are compared as SIGNED int4. The provider picks ReadRangeRows1Key when (int)Begin < (int)End
--   (hash in (Begin, End]) and ReadRangeRows2Key otherwise (wrapped: hash > Begin OR hash <= End; Begin = End
--   means the whole ring). The cast rotates the uint ring, which keeps ring order, so signed compares are right.
-- * Upsert returns one row with the new Version; Delete returns one row, one boolean column.

CREATE TABLE IF NOT EXISTS orleansremindertable
(
    serviceid    varchar(150) NOT NULL,
    grainid      varchar(768) NOT NULL,
    remindername varchar(150) NOT NULL,
    starttime    timestamptz  NOT NULL,
    period       bigint       NOT NULL,
    grainhash    integer      NOT NULL,
    version      integer      NOT NULL,

    CONSTRAINT pk_orleansremindertable PRIMARY KEY (serviceid, grainid, remindername)
);

-- Range reads by the reminder service's ring partitions.
CREATE INDEX IF NOT EXISTS ix_orleansremindertable_grainhash ON orleansremindertable (serviceid, grainhash);

INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadReminderRowsKey', $q$
SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period", version AS "Version"
FROM orleansremindertable
WHERE serviceid = @ServiceId AND grainid = @GrainId;
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadReminderRowKey', $q$
SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period", version AS "Version"
FROM orleansremindertable
WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName;
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadRangeRows1Key', $q$
SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period", version AS "Version"
FROM orleansremindertable
WHERE serviceid = @ServiceId AND grainhash > @BeginHash AND grainhash <= @EndHash;
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

INSERT INTO orleansquery (querykey, querytext) VALUES ('ReadRangeRows2Key', $q$
SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime", period AS "Period", version AS "Version"
FROM orleansremindertable
WHERE serviceid = @ServiceId AND (grainhash > @BeginHash OR grainhash <= @EndHash);
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

-- Insert (version 0) or replace (version + 1); returns the row's new Version, which becomes the ETag.
INSERT INTO orleansquery (querykey, querytext) VALUES ('UpsertReminderRowKey', $q$
INSERT INTO orleansremindertable AS r (serviceid, grainid, remindername, starttime, period, grainhash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
SET starttime = excluded.starttime,
    period    = excluded.period,
    grainhash = excluded.grainhash,
    version   = r.version + 1
RETURNING r.version AS "Version";
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

-- Deletes only when the ETag (Version) still matches; true when a row was deleted.
INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleansremindertable
    WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted) AS "Deleted";
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteReminderRowsKey', $q$
DELETE FROM orleansremindertable WHERE serviceid = @ServiceId;
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;
