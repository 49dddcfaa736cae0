//! A run's result in the `runs` table: bound and read as its text
//! ([`RunResult::as_str`]), never written into SQL.

use crate::store::RunResult;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

impl ToSql for RunResult {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for RunResult {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        RunResult::parse(text)
            .ok_or_else(|| FromSqlError::Other(format!("unknown run result {text:?}").into()))
    }
}
