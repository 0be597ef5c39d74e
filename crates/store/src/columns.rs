//! Reading Arrow columns by name whatever integer, float or time type an
//! engine gave them: Spark sends Parquet's unsigned integers back as wider
//! signed ones and times in microseconds. Each accessor reads one column
//! of a batch into plain values (none where null).

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Decimal128Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type, UInt32Type,
    UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, TimeUnit};

/// A column missing, of a type that cannot be read as asked, or a value
/// that does not fit.
#[derive(Debug, thiserror::Error)]
#[error("column {column}: {problem}")]
pub struct ColumnError {
    pub column: String,
    pub problem: String,
}

impl ColumnError {
    fn new(column: &str, problem: impl Into<String>) -> ColumnError {
        ColumnError { column: column.to_owned(), problem: problem.into() }
    }

    pub fn null(column: &str, row: usize) -> ColumnError {
        ColumnError::new(column, format!("row {row} is null"))
    }

    pub fn out_of_range(column: &str, row: usize) -> ColumnError {
        ColumnError::new(column, format!("row {row} is out of range"))
    }

    /// A value that does not read as what the column holds.
    pub fn unreadable(column: &str, row: usize, problem: impl std::fmt::Display) -> ColumnError {
        ColumnError::new(column, format!("row {row}: {problem}"))
    }
}

/// A batch's columns, found by name.
pub struct Columns<'a> {
    batch: &'a RecordBatch,
}

fn values<T: Copy>(array: &dyn Array, value: impl Fn(usize) -> T) -> Vec<Option<T>> {
    (0..array.len()).map(|i| if array.is_null(i) { None } else { Some(value(i)) }).collect()
}

impl<'a> Columns<'a> {
    pub fn of(batch: &'a RecordBatch) -> Columns<'a> {
        Columns { batch }
    }

    fn column(&self, name: &str) -> Result<&'a ArrayRef, ColumnError> {
        self.batch.column_by_name(name).ok_or_else(|| ColumnError::new(name, "missing"))
    }

    /// True when the batch has the column.
    pub fn has(&self, name: &str) -> bool {
        self.batch.column_by_name(name).is_some()
    }

    /// Any integer column, as `i64` (an unsigned 64-bit value past `i64::MAX`
    /// is an error).
    pub fn int64(&self, name: &str) -> Result<Column<i64>, ColumnError> {
        Ok(Column(integers(self.column(name)?.as_ref(), name)?))
    }

    /// A float column of either width, as `f64`.
    pub fn float64(&self, name: &str) -> Result<Column<f64>, ColumnError> {
        let a = self.column(name)?.as_ref();
        Ok(Column(match a.data_type() {
            DataType::Float64 => values(a, |i| a.as_primitive::<Float64Type>().value(i)),
            DataType::Float32 => values(a, |i| f64::from(a.as_primitive::<Float32Type>().value(i))),
            other => return Err(ColumnError::new(name, format!("{other} is not a float"))),
        }))
    }

    /// A float column, as `f32` (a `f64` column is narrowed).
    pub fn float32(&self, name: &str) -> Result<Column<f32>, ColumnError> {
        let a = self.column(name)?.as_ref();
        Ok(Column(match a.data_type() {
            DataType::Float32 => values(a, |i| a.as_primitive::<Float32Type>().value(i)),
            DataType::Float64 => values(a, |i| a.as_primitive::<Float64Type>().value(i) as f32),
            other => return Err(ColumnError::new(name, format!("{other} is not a float"))),
        }))
    }

    pub fn boolean(&self, name: &str) -> Result<Column<bool>, ColumnError> {
        let a = self.column(name)?.as_ref();
        match a.data_type() {
            DataType::Boolean => Ok(Column(values(a, |i| a.as_boolean().value(i)))),
            other => Err(ColumnError::new(name, format!("{other} is not a boolean"))),
        }
    }

    /// A time column of any unit, as milliseconds since the epoch (whole
    /// milliseconds: finer units are truncated toward the past).
    pub fn time_ms(&self, name: &str) -> Result<Column<i64>, ColumnError> {
        let a = self.column(name)?.as_ref();
        Ok(Column(match a.data_type() {
            DataType::Timestamp(TimeUnit::Millisecond, _) => {
                values(a, |i| a.as_primitive::<TimestampMillisecondType>().value(i))
            }
            DataType::Timestamp(TimeUnit::Microsecond, _) => {
                values(a, |i| a.as_primitive::<TimestampMicrosecondType>().value(i).div_euclid(1_000))
            }
            DataType::Timestamp(TimeUnit::Nanosecond, _) => {
                values(a, |i| a.as_primitive::<TimestampNanosecondType>().value(i).div_euclid(1_000_000))
            }
            DataType::Timestamp(TimeUnit::Second, _) => {
                values(a, |i| a.as_primitive::<TimestampSecondType>().value(i).saturating_mul(1_000))
            }
            DataType::Int64 => values(a, |i| a.as_primitive::<Int64Type>().value(i)),
            other => return Err(ColumnError::new(name, format!("{other} is not a time"))),
        }))
    }

    /// A text column (either offset width).
    pub fn text(&self, name: &str) -> Result<TextColumn<'a>, ColumnError> {
        let a = self.column(name)?;
        match a.data_type() {
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Ok(TextColumn(a)),
            other => Err(ColumnError::new(name, format!("{other} is not text"))),
        }
    }

    /// A list of integers per row, as `i64`.
    pub fn int64_lists(&self, name: &str) -> Result<Vec<Option<Vec<i64>>>, ColumnError> {
        let a = self.column(name)?.as_ref();
        let list = match a.data_type() {
            DataType::List(_) => a.as_list::<i32>(),
            other => return Err(ColumnError::new(name, format!("{other} is not a list"))),
        };
        (0..list.len())
            .map(|i| {
                if list.is_null(i) {
                    return Ok(None);
                }
                let items = integers(list.value(i).as_ref(), name)?;
                Ok(Some(items.into_iter().map(|v| v.unwrap_or(0)).collect()))
            })
            .collect()
    }
}

fn integers(a: &dyn Array, name: &str) -> Result<Vec<Option<i64>>, ColumnError> {
    Ok(match a.data_type() {
        DataType::Int8 => values(a, |i| i64::from(a.as_primitive::<Int8Type>().value(i))),
        DataType::Int16 => values(a, |i| i64::from(a.as_primitive::<Int16Type>().value(i))),
        DataType::Int32 => values(a, |i| i64::from(a.as_primitive::<Int32Type>().value(i))),
        DataType::Int64 => values(a, |i| a.as_primitive::<Int64Type>().value(i)),
        DataType::UInt8 => values(a, |i| i64::from(a.as_primitive::<UInt8Type>().value(i))),
        DataType::UInt16 => values(a, |i| i64::from(a.as_primitive::<UInt16Type>().value(i))),
        DataType::UInt32 => values(a, |i| i64::from(a.as_primitive::<UInt32Type>().value(i))),
        DataType::UInt64 => {
            let column = a.as_primitive::<UInt64Type>();
            if (0..a.len()).any(|i| !a.is_null(i) && column.value(i) > i64::MAX as u64) {
                return Err(ColumnError::new(name, "a value past the largest signed 64-bit integer"));
            }
            values(a, |i| column.value(i) as i64)
        }
        // Spark reads Parquet's unsigned 64-bit integers as decimals.
        DataType::Decimal128(_, 0) => {
            let column = a.as_primitive::<Decimal128Type>();
            if (0..a.len()).any(|i| !a.is_null(i) && i64::try_from(column.value(i)).is_err()) {
                return Err(ColumnError::new(name, "a value past the 64-bit integers"));
            }
            values(a, |i| column.value(i) as i64)
        }
        other => return Err(ColumnError::new(name, format!("{other} is not an integer"))),
    })
}

/// One column's values, none where null.
pub struct Column<T>(Vec<Option<T>>);

impl<T: Copy> Column<T> {
    pub fn get(&self, row: usize) -> Option<T> {
        self.0[row]
    }
}

/// A text column.
pub struct TextColumn<'a>(&'a ArrayRef);

impl TextColumn<'_> {
    pub fn get(&self, row: usize) -> Option<String> {
        self.str(row).map(str::to_owned)
    }

    pub fn str(&self, row: usize) -> Option<&str> {
        if self.0.is_null(row) {
            return None;
        }
        Some(match self.0.data_type() {
            DataType::Utf8 => self.0.as_string::<i32>().value(row),
            DataType::LargeUtf8 => self.0.as_string::<i64>().value(row),
            _ => self.0.as_string_view().value(row),
        })
    }
}
