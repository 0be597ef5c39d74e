//! KML 2.2 (OGC 07-147r2), written in the schema's element order so the
//! file validates against `ogckml22.xsd`: a Document of Placemarks, each
//! with its name, a description, a TimeSpan (Google Earth's time slider),
//! its properties as ExtendedData, and its geometry.

use std::io::Write;

use super::{ExportError, Feature, Geometry};
use crate::svg::escape;

pub fn write<W: Write>(features: &[Feature], title: &str, mut out: W) -> Result<(), ExportError> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>{}</name>"#, escape(title))?;
    // Styles: points red, lines blue and wide enough to see.
    writeln!(
        out,
        r#"<Style id="tumen"><IconStyle><color>ff2b39c0</color></IconStyle><LineStyle><color>ff794e1f</color><width>2</width></LineStyle></Style>"#
    )?;
    for feature in features {
        write!(out, "<Placemark><name>{}</name>", escape(&feature.name))?;
        if let Some(description) = feature.properties.iter().find(|(n, _)| n == "description") {
            write!(out, "<description>{}</description>", escape(&description.1.text()))?;
        }
        if let Some((begin, end)) = feature.span {
            write!(out, "<TimeSpan><begin>{begin}</begin><end>{end}</end></TimeSpan>")?;
        }
        write!(out, "<styleUrl>#tumen</styleUrl><ExtendedData>")?;
        for (name, cell) in &feature.properties {
            write!(out, r#"<Data name="{}"><value>{}</value></Data>"#, escape(name), escape(&cell.text()))?;
        }
        write!(out, "</ExtendedData>")?;
        let coordinates = |points: &[tumen_model::LatLon]| {
            points.iter().map(|p| format!("{},{}", p.lon_deg, p.lat_deg)).collect::<Vec<_>>().join(" ")
        };
        match &feature.geometry {
            Geometry::None => {}
            Geometry::Point(p) => write!(out, "<Point><coordinates>{}</coordinates></Point>", coordinates(&[*p]))?,
            Geometry::Lines(lines) => {
                let many = lines.len() > 1;
                if many {
                    write!(out, "<MultiGeometry>")?;
                }
                for line in lines {
                    write!(
                        out,
                        "<LineString><tessellate>1</tessellate><coordinates>{}</coordinates></LineString>",
                        coordinates(line)
                    )?;
                }
                if many {
                    write!(out, "</MultiGeometry>")?;
                }
            }
        }
        writeln!(out, "</Placemark>")?;
    }
    writeln!(out, "</Document></kml>")?;
    out.flush()?;
    Ok(())
}
