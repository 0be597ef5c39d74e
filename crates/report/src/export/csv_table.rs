//! CSV: one row a feature, the properties' columns, then the geometry as
//! well-known text (empty when unlocated).

use std::io::Write;

use super::{ExportError, Feature, columns, wkt};

pub fn write<W: Write>(features: &[Feature], out: W) -> Result<(), ExportError> {
    let names = columns(features);
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(names.iter().map(String::as_str).chain(["wkt"]))?;
    for feature in features {
        let mut record: Vec<String> = names
            .iter()
            .map(|name| feature.properties.iter().find(|(n, _)| n == name).map(|(_, c)| c.text()).unwrap_or_default())
            .collect();
        record.push(wkt(&feature.geometry).unwrap_or_default());
        writer.write_record(&record)?;
    }
    writer.flush()?;
    Ok(())
}
