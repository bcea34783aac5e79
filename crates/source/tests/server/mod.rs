//! A tiny HTTP/1.1 server on 127.0.0.1 standing in for GitHub: one request
//! per connection, answers from a closure, every request logged. It serves
//! a bounded number of connections and dies with the test process.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const MAX_CONNECTIONS: usize = 64;

#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    /// Names in lowercase.
    pub headers: Vec<(String, String)>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

pub enum Answer {
    Reply {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// A 200 without a length: the body ends when the connection closes.
    Unsized(Vec<u8>),
    /// Close the connection without a word.
    HangUp,
}

impl Answer {
    pub fn json(status: u16, body: &str) -> Answer {
        Answer::Reply { status, headers: vec![("content-type".into(), "application/json".into())], body: body.into() }
    }

    pub fn bytes(body: Vec<u8>) -> Answer {
        Answer::Reply { status: 200, headers: vec![("content-type".into(), "application/zip".into())], body }
    }

    pub fn not_found() -> Answer {
        Answer::json(404, r#"{"message":"Not Found"}"#)
    }

    pub fn redirect(location: &str) -> Answer {
        Answer::Reply { status: 302, headers: vec![("location".into(), location.into())], body: Vec::new() }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Answer {
        if let Answer::Reply { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }
}

pub struct MockServer {
    pub port: u16,
    log: Arc<Mutex<Vec<Request>>>,
}

impl MockServer {
    /// Starts serving; `handler` gets the request and this server's port
    /// (to build redirect targets).
    pub fn start(handler: impl Fn(&Request, u16) -> Answer + Send + 'static) -> MockServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let server_log = Arc::clone(&log);
        std::thread::spawn(move || {
            for stream in listener.incoming().take(MAX_CONNECTIONS) {
                let Ok(stream) = stream else { continue };
                let _ = serve(stream, &handler, port, &server_log);
            }
        });
        MockServer { port, log }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().expect("log").clone()
    }

    pub fn paths(&self) -> Vec<String> {
        self.requests().into_iter().map(|r| r.path).collect()
    }
}

fn serve(
    stream: TcpStream,
    handler: &impl Fn(&Request, u16) -> Answer,
    port: u16,
    log: &Mutex<Vec<Request>>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let request = Request { path, headers };
    log.lock().expect("log").push(request.clone());
    let mut stream = stream;
    match handler(&request, port) {
        Answer::HangUp => Ok(()),
        Answer::Unsized(body) => {
            stream.write_all(b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n")?;
            stream.write_all(&body)?;
            stream.flush()
        }
        Answer::Reply { status, headers, body } => {
            let mut head =
                format!("HTTP/1.1 {status} Answer\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes())?;
            stream.write_all(&body)?;
            stream.flush()
        }
    }
}
