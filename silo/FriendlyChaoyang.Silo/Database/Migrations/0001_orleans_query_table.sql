-- 0001: the statement catalogue read by the Orleans ADO.NET providers (clustering, persistence, reminders).
--
-- Every provider (and the client's gateway list provider) starts by running the hard-coded
--     SELECT QueryKey, QueryText FROM OrleansQuery
-- and then only executes the texts found here, binding named parameters (@Name). The identifiers are unquoted,
-- so PostgreSQL folds them to lower case: the table is orleansquery(querykey, querytext). Npgsql's
-- GetOrdinal falls back to a case-insensitive match, which is how the provider finds "QueryKey"/"QueryText".
--
-- Later migrations add their rows with INSERT ... ON CONFLICT (querykey) DO UPDATE, so a corrected statement
-- ships as a new migration that simply re-upserts the row.

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64)   NOT NULL,
    querytext varchar(8000) NOT NULL,

    CONSTRAINT pk_orleansquery PRIMARY KEY (querykey)
);
