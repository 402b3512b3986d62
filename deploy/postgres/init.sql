-- The flow store's database, beside Temporal's own (created by the temporal-schema service).
CREATE DATABASE studio OWNER temporal;
