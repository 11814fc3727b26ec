//! `on_both_stores!(f, g)`: one `#[test]` per function and store, each handed a fresh
//! `Crm` on a `MemoryStore` (module `memory`), an in-memory `SqliteStore` (module
//! `sqlite`) or a `PgStore` in a schema of its own on the test server (module `postgres`;
//! see `crm_postgres::testing`), reading phone numbers in Germany. The test file imports
//! `MemoryStore` and `Region`.

macro_rules! on_both_stores {
    ($($name:ident),+ $(,)?) => {
        mod memory {
            $(#[test]
            fn $name() {
                super::$name(crm::Crm::new(
                    super::MemoryStore::new(),
                    super::Region::parse("DE").unwrap(),
                ));
            })+
        }
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name(crm::Crm::new(
                    crm::SqliteStore::open_in_memory().unwrap(),
                    super::Region::parse("DE").unwrap(),
                ));
            })+
        }
        mod postgres {
            $(#[test]
            fn $name() {
                if let Some(store) = crm_postgres::testing::scratch() {
                    super::$name(crm::Crm::new(store, super::Region::parse("DE").unwrap()));
                }
            })+
        }
    };
}
