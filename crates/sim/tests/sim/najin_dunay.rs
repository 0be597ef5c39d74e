//! The shipped 2023 case holds the facts it was built from
//! (`../shared/FACTS.md` §1) — dark shuttles Najin → Dunay, over 1,000
//! containers, draught up at Najin, the Tumangang rail-car spike against
//! five quiet years, the depot counts — and its feed is consistent with its
//! truth.

use crate::common::{decode, shipped, simulate};
use serde_json::Value;
use tumen_model::Timestamp;

fn t(text: &str) -> Timestamp {
    Timestamp::parse_lenient(text).unwrap()
}

fn time(v: &Value) -> Timestamp {
    v.as_str().unwrap().parse().unwrap()
}

#[test]
fn the_case_as_data() {
    let run = simulate(shipped("najin-dunay-2023"), None, 0);
    let truth = run.truth();
    let events = truth["events"].as_array().unwrap();
    let of_kind = |kind: &'static str| events.iter().filter(move |e| e["kind"] == kind);

    // Dark loading calls at Najin by the shuttles, each followed by a draught
    // rise reported once AIS is back.
    let dark_najin_calls: Vec<&Value> =
        of_kind("port_visit").filter(|e| e["place"] == "najin" && e["ais_off_share"].as_f64() == Some(1.0)).collect();
    for ship in ["angara", "maria"] {
        let calls = dark_najin_calls.iter().filter(|e| e["vessels"][0] == ship).count();
        assert!(calls >= 4, "{ship}: {calls} dark calls at Najin");
        let first_dark = of_kind("dark_period").find(|e| e["vessels"][0] == ship).unwrap();
        assert!(time(&first_dark["start"]) < t("2023-08-20T00:00:00Z"), "{ship} goes dark mid-August");
    }
    let loaded_at_najin = of_kind("draught_change")
        .filter(|e| e["place"] == "najin" && e["to_m"].as_f64() > e["from_m"].as_f64())
        .count();
    assert!(loaded_at_najin >= dark_najin_calls.len(), "{loaded_at_najin} loadings");

    // Over 1,000 containers by sea by mid-October, on to the depot by rail.
    let shipments = truth["shipments"].as_array().unwrap();
    let by_sea: u64 = shipments
        .iter()
        .filter(|s| s["legs"][0]["mode"] == "sea" && time(&s["legs"][0]["arrive"]) < t("2023-10-15T00:00:00Z"))
        .map(|s| s["containers"].as_u64().unwrap())
        .sum();
    assert!(by_sea > 1000, "{by_sea} containers");
    for s in shipments.iter().filter(|s| s["legs"][0]["mode"] == "sea") {
        assert_eq!(s["destination"], "tikhoretsk-depot");
        let chain = s["events"].as_array().unwrap();
        assert!(chain.iter().any(|id| id.as_str().unwrap().starts_with("port_visit:")), "{}", s["id"]);
        assert!(chain.iter().any(|id| id.as_str().unwrap().starts_with("dark_period:")), "{}", s["id"]);
    }

    // Tumangang: at most ~20 rail cars in five years, then about 73 on 5 October.
    let observations = truth["observations"].as_array().unwrap();
    let tumangang: Vec<(Timestamp, u64)> = observations
        .iter()
        .filter(|o| o["site"] == "tumangang")
        .map(|o| (time(&o["time"]), o["count"].as_u64().unwrap()))
        .collect();
    let before: Vec<u64> = tumangang.iter().filter(|(t0, _)| *t0 < t("2023-09-13T00:00:00Z")).map(|o| o.1).collect();
    assert!(before.len() > 120, "five years of images");
    assert!(before.iter().all(|&c| c <= 20), "max before the summit {:?}", before.iter().max());
    let on_5_october = tumangang.iter().find(|(t0, _)| t0.to_string().starts_with("2023-10-05")).unwrap().1;
    assert!((63..=83).contains(&on_5_october), "{on_5_october} rail cars on 5 October");
    let first_raised = observations
        .iter()
        .filter(|o| o["site"] == "tumangang" && o["activity"].as_u64() > Some(0))
        .map(|o| time(&o["time"]))
        .min()
        .unwrap();
    assert!(first_raised > t("2023-09-17T00:00:00Z"), "rise begins after the summit: {first_raised}");

    // Containers at Najin on 7–8 September and the depot counts of 2024.
    let count_at = |site: &str, day: &str| {
        observations
            .iter()
            .find(|o| o["site"] == site && o["time"].as_str().unwrap().starts_with(day))
            .map(|o| o["count"].as_u64().unwrap())
            .unwrap_or_else(|| panic!("no {site} image on {day}"))
    };
    assert!((250..=380).contains(&count_at("najin", "2023-09-07")));
    assert!((50..=70).contains(&count_at("tikhoretsk-depot", "2024-02-20")));
    assert!((40..=60).contains(&count_at("tikhoretsk-depot", "2024-04-20")));
    assert!(of_kind("facility_spike").any(|e| e["site"] == "tumangang"));

    // Imagery sees the dark ships in port.
    let dark_seen: Vec<&Value> = truth["detections"].as_array().unwrap().iter().filter(|d| d["dark"] == true).collect();
    for ship in ["angara", "maria"] {
        assert!(dark_seen.iter().any(|d| d["vessel"] == ship), "{ship} never imaged while dark");
    }

    // One illicit meeting at sea among innocent ones.
    let encounters: Vec<&Value> = of_kind("encounter").collect();
    assert_eq!(encounters.iter().filter(|e| e["illicit"] == true).count(), 1);
    assert!(encounters.iter().filter(|e| e["illicit"] == false).count() >= 2);

    // The feed never shows a shuttle during its dark months.
    let (heard, _, _) = decode(&run.path("ais.nmea"));
    for ship in ["angara", "maria"] {
        let vessel = run.world.vessels.iter().find(|v| v.id == ship).unwrap();
        let mmsi = vessel.identity.initial().mmsi;
        let dark = &vessel.dark[0].interval;
        let during = heard.iter().filter(|h| {
            h.message.mmsi().0 == mmsi && h.time.is_some_and(|t0| t0 > dark.start.plus_ms(1000) && t0 < dark.end)
        });
        assert_eq!(during.count(), 0, "{ship}");
        assert!(heard.iter().any(|h| h.message.mmsi().0 == mmsi), "{ship} is heard before and after");
    }
}
