//! Real servers on 127.0.0.1 for the download tests: HTTPS with certificates from a test CA made
//! here, plain HTTP, and an HTTP CONNECT proxy. Each runs on its own thread and runtime and stops
//! when dropped. Nothing listens on any address but loopback.

use std::collections::BTreeMap;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A certificate authority for tests, and server certificates signed by it.
pub struct TestPki {
    ca_pem: String,
    issuer: Issuer<'static, KeyPair>,
}

/// A server certificate and its private key, DER.
pub struct ServerIdentity {
    pub certificate_der: Vec<u8>,
    pub key_der: Vec<u8>,
}

impl TestPki {
    pub fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let key = KeyPair::generate().expect("CA key");
        let certificate = params.self_signed(&key).expect("CA certificate");
        Self {
            ca_pem: certificate.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// The CA certificate, PEM (what `--ca-file` takes).
    pub fn ca_pem(&self) -> &str {
        &self.ca_pem
    }

    /// A server certificate for `names` (DNS names or IP addresses), valid from
    /// `start_days` to `end_days` relative to now.
    pub fn server(&self, names: &[&str], start_days: i64, end_days: i64) -> ServerIdentity {
        let mut params =
            CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                .expect("params");
        params.distinguished_name.push(DnType::CommonName, names[0]);
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now + time::Duration::days(start_days);
        params.not_after = now + time::Duration::days(end_days);
        let key = KeyPair::generate().expect("server key");
        let certificate = params
            .signed_by(&key, &self.issuer)
            .expect("server certificate");
        ServerIdentity {
            certificate_der: certificate.der().to_vec(),
            key_der: key.serialize_der(),
        }
    }
}

/// What the server saw.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// Path and query.
    pub target: String,
    pub headers: BTreeMap<String, String>,
}

/// What the server does.
pub enum Reply {
    /// A normal answer. `Content-Length` is sent unless `close_delimited`.
    Answer {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// `size` bytes of `x`, streamed, without a length (ends when the connection closes).
    Endless { size: usize },
    /// Waits this long before answering anything.
    Stall(Duration),
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply::Answer {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn status(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply::Answer {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn redirect(location: &str) -> Self {
        Reply::Answer {
            status: 302,
            headers: vec![("Location".into(), location.into())],
            body: Vec::new(),
        }
    }
}

pub type Handler = Arc<dyn Fn(&Request) -> Reply + Send + Sync>;

/// A running server; stops when dropped.
pub struct TestServer {
    pub address: SocketAddr,
    pub requests: Arc<Mutex<Vec<Request>>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TestServer {
    /// An HTTPS server with `identity`.
    pub fn https(identity: &ServerIdentity, handler: Handler) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(
                vec![identity.certificate_der.clone().into()],
                rustls::pki_types::PrivateKeyDer::Pkcs8(identity.key_der.clone().into()),
            )
            .expect("server TLS config");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        Self::spawn(
            move |stream, handler, log| {
                let acceptor = acceptor.clone();
                Box::pin(async move {
                    // A failed handshake is what several tests expect; nothing to answer then.
                    if let Ok(tls) = acceptor.accept(stream).await {
                        serve(tls, handler, log).await;
                    }
                })
            },
            handler,
        )
    }

    /// A plain HTTP server.
    pub fn http(handler: Handler) -> Self {
        Self::spawn(
            |stream, handler, log| Box::pin(serve(stream, handler, log)),
            handler,
        )
    }

    /// `https://127.0.0.1:<port><path>` (or http for a plain server: pass the scheme).
    pub fn url(&self, scheme: &str, path: &str) -> String {
        format!("{scheme}://127.0.0.1:{}{path}", self.address.port())
    }

    fn spawn<F>(connection: F, handler: Handler) -> Self
    where
        F: Fn(
                TcpStream,
                Handler,
                Arc<Mutex<Vec<Request>>>,
            ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>
            + Send
            + 'static,
    {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        std_listener.set_nonblocking(true).expect("nonblocking");
        let address = std_listener.local_addr().expect("address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let log = requests.clone();
        let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(std_listener).expect("listener");
                loop {
                    tokio::select! {
                        _ = &mut stopped => break,
                        accepted = listener.accept() => {
                            let Ok((stream, _)) = accepted else { continue };
                            tokio::spawn(connection(stream, handler.clone(), log.clone()));
                        }
                    }
                }
            });
            runtime.shutdown_timeout(Duration::from_millis(100));
        });
        Self {
            address,
            requests,
            stop: Some(stop),
            thread: Some(thread),
        }
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if stream.read(&mut byte).await? == 0 || head.len() > 64 * 1024 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        head.push(byte[0]);
    }
    Ok(head)
}

fn parse_head(head: &[u8]) -> Option<Request> {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_owned();
    let target = first.next()?.to_owned();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Some(Request {
        method,
        target,
        headers,
    })
}

async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    handler: Handler,
    log: Arc<Mutex<Vec<Request>>>,
) {
    let Ok(head) = read_head(&mut stream).await else {
        return;
    };
    let Some(request) = parse_head(&head) else {
        return;
    };
    log.lock().expect("log").push(request.clone());
    match handler(&request) {
        Reply::Stall(duration) => {
            tokio::time::sleep(duration).await;
        }
        Reply::Answer {
            status,
            headers,
            body,
        } => {
            let mut response = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (name, value) in headers {
                response.push_str(&format!("{name}: {value}\r\n"));
            }
            response.push_str("\r\n");
            let _ = stream.write_all(response.as_bytes()).await;
            let _ = stream.write_all(&body).await;
        }
        Reply::Endless { size } => {
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nConnection: close\r\n\r\n")
                .await;
            let chunk = vec![b'x'; 64 * 1024];
            let mut sent = 0;
            while sent < size {
                if stream.write_all(&chunk).await.is_err() {
                    return;
                }
                sent += chunk.len();
            }
        }
    }
    let _ = stream.shutdown().await;
}

/// An HTTP CONNECT proxy that sends every tunnel to `target`, whatever host was asked for, and
/// records the authorities asked for.
pub struct TestProxy {
    pub server: TestServer,
    pub asked: Arc<Mutex<Vec<String>>>,
}

impl TestProxy {
    pub fn to(target: SocketAddr) -> Self {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let record = asked.clone();
        let server = TestServer::spawn(
            move |mut client, _handler, _log| {
                let record = record.clone();
                Box::pin(async move {
                    let Ok(head) = read_head(&mut client).await else {
                        return;
                    };
                    let Some(request) = parse_head(&head) else {
                        return;
                    };
                    if request.method != "CONNECT" {
                        let _ = client.write_all(b"HTTP/1.1 405 Only CONNECT\r\n\r\n").await;
                        return;
                    }
                    record.lock().expect("record").push(request.target.clone());
                    let Ok(mut upstream) = TcpStream::connect(target).await else {
                        let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
                        return;
                    };
                    let _ = client
                        .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                        .await;
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
                })
            },
            Arc::new(|_: &Request| Reply::Stall(Duration::ZERO)),
        );
        Self { server, asked }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.server.address.port())
    }
}

/// A loopback port with nothing listening (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}
