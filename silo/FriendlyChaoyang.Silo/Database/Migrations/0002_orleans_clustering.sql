-- 0002: Orleans membership (Microsoft.Orleans.Clustering.AdoNet 10.4.2).
--
-- Contract, as read from the 10.4.2 provider (RelationalOrleansQueries / DbStoredQueries):
-- * Required keys (the provider refuses to start without every one of them): InsertMembershipVersionKey,
--   InsertMembershipKey, UpdateMembershipKey, UpdateIAmAlivetimeKey, MembershipReadRowKey, MembershipReadAllKey,
--   GatewaysQueryKey, DeleteMembershipTableEntriesKey, CleanupDefunctSiloEntriesKey.
-- * Optional key CleanupDefunctSiloEntryKey: when it exists, 10.4.2 does NOT run CleanupDefunctSiloEntriesKey;
--   it reads the whole table, picks the Dead rows whose StartTime, IAmAliveTime and every suspect vote are older
--   than the cutoff, and deletes each one with this per-row statement (bound: DeploymentId, Address, Port,
--   Generation, SuspectTimes, StartTime, IAmAliveTime = the values it just read). We ship both.
-- * Insert/Update/InsertVersion return ONE row with ONE column, read with Convert.ToBoolean.
-- * Reads return the version row LEFT JOINed to the silo rows, with columns named Address, Port, Generation,
--   SiloName, HostName, Status, ProxyPort, SuspectTimes, StartTime, IAmAliveTime, Version; a NULL StartTime means
--   "version row only, no silo".
-- * Parameter types as bound by the provider: DeploymentId text, Address text (IP as string), Port/Generation/
--   Status/ProxyPort/Version int4, SiloName/HostName/SuspectTimes text (SuspectTimes may be NULL),
--   StartTime/IAmAliveTime DbType.DateTime (Npgsql: timestamptz, UTC). Status values: SiloStatus,
--   Active = 3, Dead = 6.
-- Times are timestamptz: the provider binds UTC DateTimes as timestamptz, so storing timestamptz is exact
-- whatever the session TimeZone is (a timestamp-without-time-zone column would shift by the server's zone).

-- One row per cluster (the provider's "DeploymentId" is ClusterOptions.ClusterId). Every change of a silo row
-- (insert / update) bumps Version, but only when the caller's Version still matches (optimistic concurrency).
CREATE TABLE IF NOT EXISTS orleansmembershipversiontable
(
    deploymentid varchar(150) NOT NULL,
    timestamp    timestamptz  NOT NULL DEFAULT now(),
    version      integer      NOT NULL DEFAULT 0,

    CONSTRAINT pk_orleansmembershipversiontable PRIMARY KEY (deploymentid)
);

-- One row per silo incarnation (address, port, generation).
CREATE TABLE IF NOT EXISTS orleansmembershiptable
(
    deploymentid varchar(150)  NOT NULL,
    address      varchar(45)   NOT NULL,
    port         integer       NOT NULL,
    generation   integer       NOT NULL,
    siloname     varchar(150)  NOT NULL,
    hostname     varchar(150)  NOT NULL,
    status       integer       NOT NULL,
    proxyport    integer       NOT NULL DEFAULT 0,
    suspecttimes varchar(8000) NULL,
    starttime    timestamptz   NOT NULL,
    iamalivetime timestamptz   NOT NULL,

    CONSTRAINT pk_orleansmembershiptable PRIMARY KEY (deploymentid, address, port, generation),
    CONSTRAINT fk_orleansmembershiptable_version FOREIGN KEY (deploymentid)
        REFERENCES orleansmembershipversiontable (deploymentid) ON DELETE CASCADE
);

-- Creates the cluster's version row if missing. Returns true when this call created it.
INSERT INTO orleansquery (querykey, querytext) VALUES ('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleansmembershipversiontable (deploymentid)
    VALUES (@DeploymentId)
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created) AS "Inserted";
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

-- Inserts a silo row and bumps the cluster version, all or nothing: nothing happens (false) when the caller's
-- Version is stale or the silo row already exists. The version row is locked first (FOR UPDATE; a concurrent
-- bump makes the re-check fail), so the insert and the bump see the same, current version.
INSERT INTO orleansquery (querykey, querytext) VALUES ('InsertMembershipKey', $q$
WITH current_version AS (
    SELECT v.deploymentid
    FROM orleansmembershipversiontable v
    WHERE v.deploymentid = @DeploymentId AND v.version = @Version
    FOR UPDATE
), inserted AS (
    INSERT INTO orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
    SELECT cv.deploymentid, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM current_version cv
    ON CONFLICT (deploymentid, address, port, generation) DO NOTHING
    RETURNING deploymentid
), bumped AS (
    UPDATE orleansmembershipversiontable v
    SET version = v.version + 1, timestamp = now()
    WHERE v.deploymentid IN (SELECT deploymentid FROM inserted)
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM bumped) AS "Inserted";
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

-- Updates a silo row (status, suspect votes, heartbeat) and bumps the cluster version, all or nothing:
-- false when the caller's Version is stale or the silo row does not exist.
INSERT INTO orleansquery (querykey, querytext) VALUES ('UpdateMembershipKey', $q$
WITH current_version AS (
    SELECT v.deploymentid
    FROM orleansmembershipversiontable v
    WHERE v.deploymentid = @DeploymentId AND v.version = @Version
    FOR UPDATE
), updated AS (
    UPDATE orleansmembershiptable m
    SET status = @Status, suspecttimes = @SuspectTimes, iamalivetime = @IAmAliveTime
    FROM current_version cv
    WHERE m.deploymentid = cv.deploymentid
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING m.deploymentid
), bumped AS (
    UPDATE orleansmembershipversiontable v
    SET version = v.version + 1, timestamp = now()
    WHERE v.deploymentid IN (SELECT deploymentid FROM updated)
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM bumped) AS "Updated";
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

-- Heartbeat: no version check and no version bump (the provider ignores the result).
INSERT INTO orleansquery (querykey, querytext) VALUES ('UpdateIAmAlivetimeKey', $q$
UPDATE orleansmembershiptable
SET iamalivetime = @IAmAliveTime
WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation;
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

-- The version row plus the one silo row (if any). The LEFT JOIN keeps the version row when the silo is absent.
INSERT INTO orleansquery (querykey, querytext) VALUES ('MembershipReadRowKey', $q$
SELECT
    v.deploymentid AS "DeploymentId",
    m.address      AS "Address",
    m.port         AS "Port",
    m.generation   AS "Generation",
    m.siloname     AS "SiloName",
    m.hostname     AS "HostName",
    m.status       AS "Status",
    m.proxyport    AS "ProxyPort",
    m.suspecttimes AS "SuspectTimes",
    m.starttime    AS "StartTime",
    m.iamalivetime AS "IAmAliveTime",
    v.version      AS "Version"
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m
       ON m.deploymentid = v.deploymentid
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deploymentid = @DeploymentId;
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

-- The version row plus every silo row of the cluster.
INSERT INTO orleansquery (querykey, querytext) VALUES ('MembershipReadAllKey', $q$
SELECT
    v.deploymentid AS "DeploymentId",
    m.address      AS "Address",
    m.port         AS "Port",
    m.generation   AS "Generation",
    m.siloname     AS "SiloName",
    m.hostname     AS "HostName",
    m.status       AS "Status",
    m.proxyport    AS "ProxyPort",
    m.suspecttimes AS "SuspectTimes",
    m.starttime    AS "StartTime",
    m.iamalivetime AS "IAmAliveTime",
    v.version      AS "Version"
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
WHERE v.deploymentid = @DeploymentId;
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

-- Gateways for clients: silos with the given status (the provider passes Active = 3) and a gateway port.
INSERT INTO orleansquery (querykey, querytext) VALUES ('GatewaysQueryKey', $q$
SELECT
    address    AS "Address",
    proxyport  AS "ProxyPort",
    generation AS "Generation"
FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0;
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

-- Drops a whole cluster's membership (tests / tooling). Silo rows first, then the version row.
INSERT INTO orleansquery (querykey, querytext) VALUES ('DeleteMembershipTableEntriesKey', $q$
WITH silos AS (
    DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId
)
DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId;
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

-- Required by 10.4.2 but only run when CleanupDefunctSiloEntryKey is absent: removes Dead silos (status 6)
-- whose start and last heartbeat are both older than the cutoff passed in @IAmAliveTime.
INSERT INTO orleansquery (querykey, querytext) VALUES ('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId
  AND status = 6
  AND iamalivetime < @IAmAliveTime
  AND starttime < @IAmAliveTime;
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;

-- What 10.4.2 actually runs for defunct-silo cleanup (see the header): deletes one Dead row only if it still
-- holds exactly the values the provider read, so a row changed meanwhile (e.g. a fresh suspect vote) survives.
-- The provider turns an empty suspect list into NULL, hence the COALESCE.
INSERT INTO orleansquery (querykey, querytext) VALUES ('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6
  AND starttime = @StartTime
  AND iamalivetime = @IAmAliveTime
  AND COALESCE(suspecttimes, '') = COALESCE(@SuspectTimes, '');
$q$) ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;
