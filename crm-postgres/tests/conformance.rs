//! PgStore passes the store conformance suite (each test in a schema of its own on the
//! server `CRM_TEST_POSTGRES_URL` names).

crm_core::store_conformance_tests!(optional crm_postgres::testing::scratch);
