//! A plain HTTP "browser" for the page tests: no redirects followed, cookies by hand, the
//! CSRF token read from the page's forms.

#![allow(dead_code, clippy::unwrap_used)]

use crate::support::Node;
use reqwest::{blocking::Client, header::HeaderMap, redirect::Policy};
use std::time::Duration;

/// A page as the browser gets it, without following redirects.
pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    }

    pub fn cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(String::from)
            .collect()
    }

    /// `name=value` of the session cookie this response sets.
    pub fn session_cookie(&self) -> String {
        self.cookies()
            .into_iter()
            .find(|c| c.starts_with("entraide_session=") && !c.starts_with("entraide_session=;"))
            .and_then(|c| c.split(';').next().map(String::from))
            .unwrap_or_else(|| panic!("no session cookie in {:?}", self.cookies()))
    }

    /// The CSRF token of the page's forms.
    pub fn csrf(&self) -> String {
        let start = self
            .body
            .find(r#"name="csrf" value=""#)
            .unwrap_or_else(|| panic!("no csrf field in:\n{}", self.body));
        let rest = &self.body[start + r#"name="csrf" value=""#.len()..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    /// The body with minijinja's escaped slashes written back as `/`.
    pub fn text(&self) -> String {
        self.body.replace("&#x2f;", "/").replace("&#x27;", "'")
    }
}

pub struct Browser {
    pub client: Client,
    pub base: String,
}

impl Browser {
    pub fn new(node: &Node) -> Browser {
        let client = Client::builder()
            .redirect(Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        Browser {
            client,
            base: node.base.clone(),
        }
    }

    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut req = self.client.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Self::page(req.send().unwrap())
    }

    pub fn post(&self, path: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Page {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        Self::page(req.send().unwrap())
    }

    pub fn page(res: reqwest::blocking::Response) -> Page {
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        Page {
            status,
            headers,
            body: res.text().unwrap(),
        }
    }

    /// Logs in through the form; returns the session cookie.
    pub fn login(&self, name: &str, password: &str) -> String {
        let page = self.post("/login", None, &[("name", name), ("password", password)]);
        assert_eq!(page.status, 303, "login of {name}: {}", page.body);
        page.session_cookie()
    }
}
