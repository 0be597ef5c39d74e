//! Shipment chains against the Najin → Dunay scenario's truth. The
//! munitions ships (Angara, Maria, Maia-1) sail with AIS off, so a leg can
//! be linked only where both its ends were seen — by AIS in port, or by a
//! satellite pass during the stay (images every three or four days miss
//! most one-day stays at Dunay). Asserted: every such observable leg is a
//! chain naming its ship, its ports and a window that holds the voyage;
//! every chain's ships are the scenario's illicit ones (none in the
//! background traffic); the chains of the 7 Sept – 1 Oct 2023 loading
//! period carry the rail spikes at the border facilities; confidence is
//! calibrated — chains stated at ≥ 0.7 are true at least 9 times in 10,
//! and the chains' summed leg probabilities are near the number true.
//! Printed: the share of chains holding a leg of a ship they name, and of
//! the ship they name first, each chain, and the calibration tables of
//! confidence and of the first-named ship's identity probability. Angara
//! (128 m) and Maria (118 m) shuttle the same ports dark and images measure
//! length to 8–12 %: which of them sailed a leg is often not in the data,
//! and the identity probability says so. `cargo test -p tumen-cli --test
//! chain_truth -- --nocapture`.

use std::collections::HashMap;

use serde_json::Value;
use tumen_model::Timestamp;

use crate::support::{analysed, simulated, tumen_ok as tumen};

fn ms(value: &Value) -> i64 {
    Timestamp::parse_lenient(value.as_str().expect("a time")).expect("a time").unix_ms()
}

const DAY_MS: i64 = 86_400_000;

#[test]
fn chains_follow_the_munitions_shipments_and_nothing_else() {
    let (case, data) = (simulated("najin-dunay-2023"), analysed("najin-dunay-2023").display().to_string());
    let chains: Vec<Value> = tumen(&["chains", "--data", &data, "--format", "json"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let truth: Value = serde_json::from_str(&std::fs::read_to_string(case.join("truth.json")).unwrap()).unwrap();

    // Each vessel's MMSIs and whether it is part of the scenario's story.
    let mut mmsis: HashMap<&str, Vec<u64>> = HashMap::new();
    let mut background: HashMap<u64, bool> = HashMap::new();
    for vessel in truth["vessels"].as_array().unwrap() {
        let id = vessel["id"].as_str().unwrap();
        for identity in vessel["identities"].as_array().unwrap() {
            let mmsi = identity["mmsi"].as_u64().unwrap();
            mmsis.entry(id).or_default().push(mmsi);
            background.insert(mmsi, vessel["background"] == true || vessel["illicit"] != true);
        }
    }
    // A chain holds a leg: it names the ship, the same ports, and its
    // loading and landing stays bracket the voyage (a day's slack: calls
    // seen from orbit are seen when a satellite passes).
    let holds_named = |chain: &Value, leg: &Value, first_only: bool| {
        let ship = &mmsis[leg["vessel"].as_str().unwrap()];
        let vessels = chain["vessels"].as_array().unwrap();
        let named = vessels.iter().take(if first_only { 1 } else { vessels.len() });
        named.into_iter().any(|v| ship.contains(&v.as_u64().unwrap()))
            && chain["origin"] == leg["from"]
            && chain["destination"] == leg["to"]
            && ms(&chain["loading_from"]) - DAY_MS <= ms(&leg["depart"])
            && ms(&leg["arrive"]) <= ms(&chain["landing_to"]) + DAY_MS
            && ms(&chain["loading_to"]) - 3 * DAY_MS <= ms(&leg["depart"])
    };
    let holds = |chain: &Value, leg: &Value| holds_named(chain, leg, false);
    let legs: Vec<&Value> = truth["shipments"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["legs"].as_array().unwrap())
        .filter(|l| l["mode"] == "sea")
        .collect();
    // When each detection was taken, and which ship it really was.
    let detection_times: HashMap<String, i64> = std::fs::read_to_string(case.join("detections.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|l| {
            let fields: Vec<&str> = l.split(',').collect();
            Some((fields.first()?.to_string(), ms(&Value::from(*fields.get(2)?))))
        })
        .collect();
    let seen = |vessel: &str, site: &str, from: i64, until: i64| {
        let by_image = truth["detections"].as_array().unwrap().iter().any(|d| {
            d["vessel"] == vessel
                && detection_times.get(d["detect_id"].as_str().unwrap()).is_some_and(|t| (from..=until).contains(t))
        });
        let by_ais = truth["events"].as_array().unwrap().iter().any(|e| {
            e["kind"] == "port_visit"
                && e["place"] == site
                && e["vessels"].as_array().unwrap().iter().any(|v| v == vessel)
                && e["ais_off_share"].as_f64().unwrap_or(1.0) < 1.0
                && ms(&e["start"]) <= until
                && ms(&e["end"]) >= from
        });
        by_image || by_ais
    };
    let observable = |leg: &Value| {
        let vessel = leg["vessel"].as_str().unwrap();
        leg["presence"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| seen(vessel, p["site"].as_str().unwrap(), ms(&p["from"]), ms(&p["until"])))
    };
    let linkable: Vec<&&Value> = legs.iter().filter(|leg| observable(leg)).collect();
    let linked = linkable.iter().filter(|leg| chains.iter().any(|c| holds(c, leg))).count();
    let found = legs.iter().filter(|leg| chains.iter().any(|c| holds(c, leg))).count();
    let true_chains = chains.iter().filter(|c| legs.iter().any(|leg| holds(c, leg))).count();
    let true_first = |c: &Value| legs.iter().any(|leg| holds_named(c, leg, true));
    let first_right = chains.iter().filter(|c| true_first(c)).count();
    let true_any = |c: &Value| legs.iter().any(|leg| holds(c, leg));
    let background_first =
        chains.iter().filter(|c| background.get(&c["vessels"][0].as_u64().unwrap()).copied().unwrap_or(true)).count();
    println!(
        "sea legs: {} in truth, {} with both ends seen; {linked} of those and {found} of all held by a chain",
        legs.len(),
        linkable.len()
    );
    println!(
        "chains: {}, {true_chains} holding a leg of a ship they name (precision {:.2}), {first_right} of the ship they \
         name first (precision {:.2}), {background_first} naming a background ship first",
        chains.len(),
        true_chains as f64 / chains.len().max(1) as f64,
        first_right as f64 / chains.len().max(1) as f64
    );
    for c in &chains {
        println!(
            "  {}/{} {} confidence {:.2} leg {:.2} identity {:.2} {:?} {} → {} {}",
            if true_any(c) { "true " } else { "false" },
            if true_first(c) { "first" } else { "other" },
            c["id"],
            c["confidence"],
            c["leg_probability"],
            c["identity_probability"],
            c["vessels"],
            c["origin"],
            c["destination"],
            c["loading_from"]
        );
    }
    // Calibration: of the chains stated at each level, the share true.
    // Confidence and the leg's probability claim "one of the named ships
    // sailed it"; the identity probability claims the first-named did.
    let calibration = |title: &str, stated: &dyn Fn(&Value) -> f64, truth: &dyn Fn(&Value) -> bool| {
        println!("calibration of {title}: stated → true share (chains)");
        for (low, high) in [(0.9, 1.01), (0.7, 0.9), (0.5, 0.7), (0.3, 0.5), (0.0, 0.3)] {
            let at: Vec<&Value> = chains.iter().filter(|c| (low..high).contains(&stated(c))).collect();
            let right = at.iter().filter(|c| truth(c)).count();
            let (mean, share) = if at.is_empty() {
                ("—".to_owned(), "—".to_owned())
            } else {
                let mean = at.iter().map(|c| stated(c)).sum::<f64>() / at.len() as f64;
                (format!("{mean:.2}"), format!("{:.2}", right as f64 / at.len() as f64))
            };
            println!("  [{low:.1}, {:.1}): {} chains, mean stated {mean}, true {share}", high.min(1.0), at.len());
        }
    };
    calibration("confidence", &|c| c["confidence"].as_f64().unwrap(), &true_any);
    calibration("identity_probability", &|c| c["identity_probability"].as_f64().unwrap(), &true_first);
    for leg in linkable.iter().filter(|leg| !chains.iter().any(|c| holds(c, leg))) {
        println!("  not linked: {} {} → {} {}", leg["vessel"], leg["from"], leg["to"], leg["depart"]);
    }
    assert!(!linkable.is_empty() && linked == linkable.len(), "{linked} of {} observable legs", linkable.len());
    assert_eq!(background_first, 0);
    // Confidence means what it says: chains stated at 0.7 or more are
    // true (one of the named ships sailed the leg) at least 9 times in 10,
    // and the chains as a whole are true about as often as they claim.
    let strong: Vec<&Value> = chains.iter().filter(|c| c["confidence"].as_f64().unwrap() >= 0.7).collect();
    let strong_true = strong.iter().filter(|c| true_any(c)).count();
    assert!(strong_true * 10 >= strong.len() * 9, "{strong_true} of {} chains at ≥ 0.7 true", strong.len());
    let claimed: f64 = chains.iter().map(|c| c["leg_probability"].as_f64().unwrap()).sum();
    assert!(
        (claimed - true_chains as f64).abs() <= 0.35 * chains.len() as f64,
        "chains claim {claimed:.1} true legs, {true_chains} are"
    );
    // A guard against going back: most chains hold a leg of a ship they
    // name.
    assert!(true_chains * 2 >= chains.len(), "{true_chains} of {} chains hold a leg", chains.len());
    let illicit_only = chains.iter().all(|c| {
        c["vessels"].as_array().unwrap().iter().all(|v| !background.get(&v.as_u64().unwrap()).copied().unwrap_or(true))
    });
    assert!(illicit_only, "no chain names a ship of the background traffic");

    // The loading period of the White House graphic: chains whose loading
    // falls in 7 Sept – 1 Oct 2023 carry rail activity at the border.
    let (from, to) = (ms(&Value::from("2023-09-07T00:00:00Z")), ms(&Value::from("2023-10-01T23:59:59Z")));
    let in_period: Vec<&Value> = chains.iter().filter(|c| (from..=to).contains(&ms(&c["loading_from"]))).collect();
    assert!(in_period.len() >= 4, "{in_period:#?}");
    for chain in &in_period {
        let reasons = chain["reasons"].to_string();
        assert!(reasons.contains("Tumangang") || reasons.contains("Khasan"), "{chain:#}");
    }
}
