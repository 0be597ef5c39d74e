//! Posting alerts to a webhook: each new alert as one JSON body, retried
//! with back-off; what the webhook answered is kept with the alert.

use std::time::Duration;

use crate::alert::Alert;

pub struct Webhook {
    agent: ureq::Agent,
    url: String,
}

/// Tries per alert, and the wait before the first retry (doubling).
const TRIES: u32 = 3;
const FIRST_RETRY: Duration = Duration::from_millis(500);

impl Webhook {
    pub fn new(url: &str) -> Webhook {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(10)))
            .http_status_as_error(false)
            .build()
            .into();
        Webhook { agent, url: url.to_owned() }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// Posts the alert; the answer (`200 OK`, or the last failure) either way.
    pub fn post(&self, alert: &Alert) -> Result<String, String> {
        let body = alert.to_json();
        let mut wait = FIRST_RETRY;
        let mut last = String::new();
        for attempt in 1..=TRIES {
            match self.agent.post(&self.url).header("Content-Type", "application/json").send(body.as_str()) {
                Ok(response) if response.status().is_success() => return Ok(response.status().to_string()),
                // A client error will not mend on retrying.
                Ok(response) if response.status().is_client_error() => return Err(response.status().to_string()),
                Ok(response) => last = response.status().to_string(),
                Err(e) => last = e.to_string(),
            }
            if attempt < TRIES {
                std::thread::sleep(wait);
                wait *= 2;
            }
        }
        Err(last)
    }
}
