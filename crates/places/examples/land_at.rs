//! Prints, for each "LAT LON" line on stdin, whether the embedded
//! coastline puts it on land and how far it is from the shore — for
//! checking scenario routes (`cargo run -p tumen-places --example land_at`).

use std::io::BufRead;

use tumen_places::Land;

fn main() {
    let land = Land::embedded();
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let numbers: Vec<f64> = line.split([' ', ',', '\t']).filter_map(|t| t.trim().parse().ok()).collect();
        let [lat, lon] = numbers[..] else {
            eprintln!("skipped (not LAT LON): {line}");
            continue;
        };
        let where_ = if land.is_on_land(lat, lon) { "land" } else { "sea" };
        println!("{lat:.4} {lon:.4} {where_:<4} {:.2} km from shore", land.distance_to_shore_km(lat, lon));
    }
}
