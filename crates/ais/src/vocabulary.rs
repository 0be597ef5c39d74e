//! Names of the coded values AIS fields carry (ITU-R M.1371 tables), for
//! people reading output. Wording is ours; the codes are the standard's.

/// Navigational status (types 1–3, 27).
pub fn nav_status(code: u8) -> &'static str {
    match code {
        0 => "Under way using engine",
        1 => "At anchor",
        2 => "Not under command",
        3 => "Restricted manoeuvrability",
        4 => "Constrained by her draught",
        5 => "Moored",
        6 => "Aground",
        7 => "Engaged in fishing",
        8 => "Under way sailing",
        9 => "Reserved (HSC)",
        10 => "Reserved (WIG)",
        11 => "Power-driven vessel towing astern",
        12 => "Power-driven vessel pushing ahead or towing alongside",
        13 => "Reserved",
        14 => "AIS-SART active",
        15 => "Not defined",
        _ => "Invalid status",
    }
}

/// Electronic position fixing device (types 4, 5, 11, 19, 21).
pub fn epfd(code: u8) -> &'static str {
    match code {
        0 => "Undefined",
        1 => "GPS",
        2 => "GLONASS",
        3 => "Combined GPS/GLONASS",
        4 => "Loran-C",
        5 => "Chayka",
        6 => "Integrated navigation system",
        7 => "Surveyed",
        8 => "Galileo",
        15 => "Internal GNSS",
        _ => "Reserved",
    }
}

/// Ship and cargo type (types 5, 19, 24; 23 as a filter).
pub fn ship_type(code: u8) -> &'static str {
    let cargo = |second: u8, first: &'static [&'static str; 10]| first[usize::from(second)];
    const WIG: [&str; 10] = [
        "Wing in ground - all",
        "Wing in ground - hazardous category A",
        "Wing in ground - hazardous category B",
        "Wing in ground - hazardous category C",
        "Wing in ground - hazardous category D",
        "Wing in ground - reserved",
        "Wing in ground - reserved",
        "Wing in ground - reserved",
        "Wing in ground - reserved",
        "Wing in ground - reserved",
    ];
    const HSC: [&str; 10] = [
        "High-speed craft - all",
        "High-speed craft - hazardous category A",
        "High-speed craft - hazardous category B",
        "High-speed craft - hazardous category C",
        "High-speed craft - hazardous category D",
        "High-speed craft - reserved",
        "High-speed craft - reserved",
        "High-speed craft - reserved",
        "High-speed craft - reserved",
        "High-speed craft - no additional information",
    ];
    const PASSENGER: [&str; 10] = [
        "Passenger - all",
        "Passenger - hazardous category A",
        "Passenger - hazardous category B",
        "Passenger - hazardous category C",
        "Passenger - hazardous category D",
        "Passenger - reserved",
        "Passenger - reserved",
        "Passenger - reserved",
        "Passenger - reserved",
        "Passenger - no additional information",
    ];
    const CARGO: [&str; 10] = [
        "Cargo - all",
        "Cargo - hazardous category A",
        "Cargo - hazardous category B",
        "Cargo - hazardous category C",
        "Cargo - hazardous category D",
        "Cargo - reserved",
        "Cargo - reserved",
        "Cargo - reserved",
        "Cargo - reserved",
        "Cargo - no additional information",
    ];
    const TANKER: [&str; 10] = [
        "Tanker - all",
        "Tanker - hazardous category A",
        "Tanker - hazardous category B",
        "Tanker - hazardous category C",
        "Tanker - hazardous category D",
        "Tanker - reserved",
        "Tanker - reserved",
        "Tanker - reserved",
        "Tanker - reserved",
        "Tanker - no additional information",
    ];
    const OTHER: [&str; 10] = [
        "Other - all",
        "Other - hazardous category A",
        "Other - hazardous category B",
        "Other - hazardous category C",
        "Other - hazardous category D",
        "Other - reserved",
        "Other - reserved",
        "Other - reserved",
        "Other - reserved",
        "Other - no additional information",
    ];
    match code {
        0 => "Not available",
        1..=19 => "Reserved",
        20..=29 => cargo(code - 20, &WIG),
        30 => "Fishing",
        31 => "Towing",
        32 => "Towing, length over 200 m or breadth over 25 m",
        33 => "Dredging or underwater operations",
        34 => "Diving operations",
        35 => "Military operations",
        36 => "Sailing",
        37 => "Pleasure craft",
        38 | 39 => "Reserved",
        40..=49 => cargo(code - 40, &HSC),
        50 => "Pilot vessel",
        51 => "Search and rescue vessel",
        52 => "Tug",
        53 => "Port tender",
        54 => "Anti-pollution equipment",
        55 => "Law enforcement",
        56 | 57 => "Local vessel",
        58 => "Medical transport",
        59 => "Noncombatant ship (RR Resolution 18)",
        60..=69 => cargo(code - 60, &PASSENGER),
        70..=79 => cargo(code - 70, &CARGO),
        80..=89 => cargo(code - 80, &TANKER),
        90..=99 => cargo(code - 90, &OTHER),
        _ => "Invalid ship type",
    }
}

/// Aid-to-navigation type (type 21).
pub fn aid_type(code: u8) -> &'static str {
    const NAMES: [&str; 32] = [
        "Not specified",
        "Reference point",
        "RACON",
        "Fixed offshore structure",
        "Reserved",
        "Light, without sectors",
        "Light, with sectors",
        "Leading light front",
        "Leading light rear",
        "Beacon, cardinal N",
        "Beacon, cardinal E",
        "Beacon, cardinal S",
        "Beacon, cardinal W",
        "Beacon, port hand",
        "Beacon, starboard hand",
        "Beacon, preferred channel port hand",
        "Beacon, preferred channel starboard hand",
        "Beacon, isolated danger",
        "Beacon, safe water",
        "Beacon, special mark",
        "Cardinal mark N",
        "Cardinal mark E",
        "Cardinal mark S",
        "Cardinal mark W",
        "Port hand mark",
        "Starboard hand mark",
        "Preferred channel port hand",
        "Preferred channel starboard hand",
        "Isolated danger",
        "Safe water",
        "Special mark",
        "Light vessel, LANBY or rig",
    ];
    NAMES.get(usize::from(code)).copied().unwrap_or("Invalid aid type")
}

/// Station type (type 23).
pub fn station_type(code: u8) -> &'static str {
    match code {
        0 => "All mobile stations",
        1 => "Reserved",
        2 => "All class B mobile stations",
        3 => "SAR airborne mobile station",
        4 => "Aid to navigation station",
        5 => "Class B shipborne mobile station",
        6..=9 => "Regional use and inland waterways",
        _ => "Reserved",
    }
}
