-- Roles and database for the hotline server on an operator's PostgreSQL (13 or newer; 17 is what the project tests).
-- Run once as a superuser (psql -v owner_password=... -v app_password=... -f roles.sql). Idempotent.
-- The embedded PostgreSQL does the same on its own at start-up (vn.hotline.db.EmbeddedPostgres).
--
-- hotline_owner owns the schema and runs the migrations (Flyway, at server start-up).
-- hotline_app is what the server uses at run time: not a superuser, so the privileges and triggers of the
-- migrations bind it (for example, it can never update, delete or truncate audit events).

SELECT 'CREATE ROLE hotline_owner LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hotline_owner') \gexec
SELECT 'CREATE ROLE hotline_app LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hotline_app') \gexec
ALTER ROLE hotline_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'owner_password';
ALTER ROLE hotline_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD :'app_password';

SELECT 'CREATE DATABASE hotline OWNER hotline_owner ENCODING ''UTF8''' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'hotline') \gexec
REVOKE ALL ON DATABASE hotline FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE hotline TO hotline_owner;
GRANT CONNECT ON DATABASE hotline TO hotline_app;

-- Then start the server with:
--   HOTLINE_DB_URL=postgresql://hotline_app:<app_password>@<host>:5432/hotline
--   HOTLINE_DB_OWNER_USER=hotline_owner HOTLINE_DB_OWNER_PASSWORD=<owner_password>
