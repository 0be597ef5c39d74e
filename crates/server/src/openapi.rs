//! The one table of the API's endpoints: each path with its summary and
//! its parameters. The router serves these paths (`crate::router`, each
//! with its handler; a test checks every one is served), the OpenAPI 3.1
//! document is written from it, and each handler reads its query with its
//! own entry (`Params::parse` refuses any parameter the entry does not
//! list) — so what is served, what is documented and what is accepted
//! cannot drift apart.

use serde_json::{Map, Value, json};

/// One query or path parameter.
pub struct Parameter {
    pub name: &'static str,
    pub in_path: bool,
    /// JSON Schema type: `string`, `integer`, `number`.
    pub schema: &'static str,
    pub description: &'static str,
    /// A value that works against the demo's dataset.
    pub example: &'static str,
}

pub struct Endpoint {
    pub path: &'static str,
    pub summary: &'static str,
    pub parameters: &'static [Parameter],
    /// Served without the token (`/health` only).
    pub open: bool,
}

impl Endpoint {
    /// The names of its query parameters.
    pub fn query_names(&self) -> Vec<&'static str> {
        self.parameters.iter().filter(|p| !p.in_path).map(|p| p.name).collect()
    }
}

const fn query(
    name: &'static str,
    schema: &'static str,
    description: &'static str,
    example: &'static str,
) -> Parameter {
    Parameter { name, in_path: false, schema, description, example }
}

const fn path(name: &'static str, schema: &'static str, description: &'static str, example: &'static str) -> Parameter {
    Parameter { name, in_path: true, schema, description, example }
}

const FROM: Parameter = query("from", "string", "from this time (RFC 3339 or YYYY-MM-DD)", "2023-09-01");
const TO: Parameter = query("to", "string", "up to this time (a date means its end)", "2023-10-31");
const LIMIT: Parameter = query("limit", "integer", "at most this many (≤ 10000, the default)", "100");

const EVENT_FILTERS: &[Parameter] = &[
    query("kind", "string", "an event kind (the schema lists them)", "dark_detection"),
    query("mmsi", "integer", "events of this vessel", "273356110"),
    query("place", "string", "events at this gazetteer place", "najin"),
    FROM,
    TO,
    LIMIT,
];

pub const HEALTH: Endpoint =
    Endpoint { path: "/health", summary: "Whether the server is up (no token needed).", parameters: &[], open: true };

pub const OPENAPI: Endpoint =
    Endpoint { path: "/api/openapi.json", summary: "This document.", parameters: &[], open: false };

pub const VESSELS: Endpoint = Endpoint {
    path: "/api/vessels",
    summary: "Vessels in the identity registry, by name, MMSI or IMO.",
    parameters: &[
        query("q", "string", "a part of a name the vessel broadcast", "MARIA"),
        query("mmsi", "integer", "the MMSI", "273214860"),
        query("imo", "integer", "an IMO number it broadcast", "9182590"),
        LIMIT,
    ],
    open: false,
};

pub const VESSEL: Endpoint = Endpoint {
    path: "/api/vessels/{mmsi}",
    summary: "A vessel's identity history (every value broadcast, with when and the record), its watch-list hits and identity conflicts.",
    parameters: &[path("mmsi", "integer", "the MMSI", "273214860")],
    open: false,
};

pub const TRACK: Endpoint = Endpoint {
    path: "/api/vessels/{mmsi}/track",
    summary: "A vessel's positions, each with its record; GeoJSON adds the line and the satellite sightings. At most 100000 a request (413 beyond).",
    parameters: &[
        path("mmsi", "integer", "the MMSI", "273214860"),
        FROM,
        TO,
        query("format", "string", "json (default) or geojson", "geojson"),
    ],
    open: false,
};

pub const VESSEL_REPORT: Endpoint = Endpoint {
    path: "/api/vessels/{mmsi}/report",
    summary: "A vessel's report: the page `tumen report MMSI` writes (HTML, self-contained, no script): map, timeline, identities and list hits, every event with its records.",
    parameters: &[path("mmsi", "integer", "the MMSI", "273214860"), FROM, TO],
    open: false,
};

pub const EVENTS: Endpoint = Endpoint {
    path: "/api/events",
    summary: "Events with their attributes and evidence, by start time.",
    parameters: EVENT_FILTERS,
    open: false,
};

pub const EVENTS_MAP: Endpoint = Endpoint {
    path: "/api/events/map.svg",
    summary: "The events /api/events would answer, drawn on a map as a report draws them (SVG; each mark links to #EVENT_ID).",
    parameters: EVENT_FILTERS,
    open: false,
};

pub const EVENTS_TIMELINE: Endpoint = Endpoint {
    path: "/api/events/timeline.svg",
    summary: "The events /api/events would answer on a timeline, a lane per kind (SVG; each mark links to #EVENT_ID).",
    parameters: EVENT_FILTERS,
    open: false,
};

pub const CHAINS: Endpoint = Endpoint {
    path: "/api/chains",
    summary: "Suspected shipment chains with their reasons.",
    parameters: &[query("min_confidence", "number", "at least this confidence (0–1)", "0.7")],
    open: false,
};

pub const CHAIN: Endpoint = Endpoint {
    path: "/api/chains/{id}",
    summary: "One chain with the events it links.",
    parameters: &[path("id", "string", "the chain's id", "")],
    open: false,
};

pub const CHAIN_REPORT: Endpoint = Endpoint {
    path: "/api/chains/{id}/report",
    summary: "A chain's report: the page `tumen report CHAIN` writes (HTML, self-contained, no script).",
    parameters: &[path("id", "string", "the chain's id", "")],
    open: false,
};

pub const ALERTS: Endpoint =
    Endpoint { path: "/api/alerts", summary: "Alerts raised, by time.", parameters: &[FROM, TO], open: false };

pub const ALERT_STREAM: Endpoint = Endpoint {
    path: "/api/alerts/stream",
    summary: "Alerts as they are raised (by `tumen watch` or `tumen run`), as server-sent events: `event: alert`, `data:` the alert's JSON, `id:` its place in the order raised. Send `Last-Event-ID` to resume after an event: what was raised since comes first. At most 64 streams at once (503 beyond).",
    parameters: &[],
    open: false,
};

pub const PLACES: Endpoint = Endpoint {
    path: "/api/places",
    summary: "The gazetteer as a GeoJSON FeatureCollection.",
    parameters: &[],
    open: false,
};

pub const FACILITY: Endpoint = Endpoint {
    path: "/api/facilities/{site}",
    summary: "A site's counts from imagery, each with its record, and the anomalies found in them.",
    parameters: &[
        path("site", "string", "the site (a gazetteer id)", "tumangang"),
        query("class", "string", "rail_car, container, vessel, …", "rail_car"),
    ],
    open: false,
};

/// Every endpoint, in the order the document lists them.
pub const ENDPOINTS: &[&Endpoint] = &[
    &HEALTH,
    &OPENAPI,
    &VESSELS,
    &VESSEL,
    &TRACK,
    &VESSEL_REPORT,
    &EVENTS,
    &EVENTS_MAP,
    &EVENTS_TIMELINE,
    &CHAINS,
    &CHAIN,
    &CHAIN_REPORT,
    &ALERTS,
    &ALERT_STREAM,
    &PLACES,
    &FACILITY,
];

/// A parameter's JSON Schema: its type, and for an event kind the kinds.
fn schema_of(p: &Parameter) -> Value {
    if p.name == "kind" {
        let kinds: Vec<&str> = tumen_model::EventKind::ALL.iter().map(|k| k.as_str()).collect();
        return json!({ "type": p.schema, "enum": kinds });
    }
    json!({ "type": p.schema })
}

/// What an endpoint answers with 200.
pub fn media_type(path: &str) -> &'static str {
    if path.ends_with("/stream") {
        "text/event-stream"
    } else if path.ends_with("/report") {
        "text/html"
    } else if path.ends_with(".svg") {
        "image/svg+xml"
    } else {
        "application/json"
    }
}

/// The document.
pub fn document() -> Value {
    let mut paths = Map::new();
    for endpoint in ENDPOINTS {
        let parameters: Vec<Value> = endpoint
            .parameters
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "in": if p.in_path { "path" } else { "query" },
                    "required": p.in_path,
                    "description": p.description,
                    "schema": schema_of(p),
                    "example": p.example,
                })
            })
            .collect();
        let mut responses = json!({
            "200": { "description": "OK", "content": { media_type(endpoint.path): {} } },
            "400": { "$ref": "#/components/responses/Error" },
        });
        if !endpoint.open {
            responses["401"] = json!({ "$ref": "#/components/responses/Error" });
        }
        if endpoint.parameters.iter().any(|p| p.in_path) {
            responses["404"] = json!({ "$ref": "#/components/responses/Error" });
        }
        if endpoint.path.ends_with("/track") {
            responses["413"] = json!({ "$ref": "#/components/responses/Error" });
        }
        let mut operation = json!({ "summary": endpoint.summary, "parameters": parameters, "responses": responses });
        if endpoint.open {
            operation["security"] = json!([]);
        }
        paths.insert(endpoint.path.to_owned(), json!({ "get": operation }));
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Tumen",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Read access to a Tumen dataset: vessels, tracks, events with their evidence, chains, alerts, places, facility counts. Every request but /health needs Authorization: Bearer TOKEN. Unknown parameters are refused (400).",
        },
        "paths": paths,
        "components": {
            "securitySchemes": { "token": { "type": "http", "scheme": "bearer" } },
            "responses": {
                "Error": {
                    "description": "What went wrong",
                    "content": { "application/json": { "schema": {
                        "type": "object", "properties": { "error": { "type": "string" } }, "required": ["error"],
                    } } },
                },
            },
        },
        "security": [ { "token": [] } ],
    })
}
