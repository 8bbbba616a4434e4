//! `search serve`: the HTTP API and the page.
//!
//! axum on a multi-threaded tokio runtime. Handlers that read the index run on
//! blocking threads; the index is opened once, read-only, and follows the commits
//! `search index` makes in another process. The layers, outermost first: the
//! request log, CORS (only with `--cors`), the request timeout, the body limit,
//! then the routes (the API's behind the key check).

mod api;
mod error;
mod middleware;
pub mod page;
mod params;
mod state;

use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::cli::ServeArgs;
use crate::exit::Exit;
use crate::{commands, messages, CliError};
use state::{AppState, Limits};

/// The largest request body accepted (a `POST /api/search` object), in bytes:
/// room for a query of `MAX_QUERY_BYTES` even with every character escaped.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How long in-flight work may take to wind down once the server has stopped
/// answering (a search whose request timed out still runs on its thread).
const WIND_DOWN: Duration = Duration::from_secs(5);

/// Runs `search serve`.
pub fn run(args: &ServeArgs) -> anyhow::Result<Exit> {
    let addr = resolve(&args.addr)?;
    let key = match args.api_key.as_deref() {
        Some("") => {
            return Err(CliError::new(Exit::Usage, "the API key is empty")
                .with_remedy("give a key of a few random words, e.g. from `openssl rand -hex 16`")
                .into())
        }
        key => key,
    };
    if !addr.ip().is_loopback() && key.is_none() {
        return Err(CliError::new(
            Exit::Usage,
            format!(
                "refusing to listen on {addr} without an API key: anyone who can reach that address could search the index and read its sources"
            ),
        )
        .with_remedy(
            "give --api-key KEY (or set SEARCH_API_KEY), or listen on loopback only (--addr 127.0.0.1:7700)",
        )
        .into());
    }
    let cors = args.cors.as_deref().map(cors_layer).transpose()?;
    let dir = args.location.dir();
    let index = match commands::open(&dir) {
        Ok(index) => Some(index),
        Err(err) => {
            messages::warning(format_args!(
                "{}; the API answers 503 until it can be opened",
                crate::exit::headline(&err)
            ));
            None
        }
    };
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    let limits = Limits {
        timeout: Duration::from_secs_f64(args.timeout),
        searches: args.threads.unwrap_or(2 * cores),
    };
    let state = Arc::new(AppState::new(dir, index, key, limits));
    let app = router(state, cors);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(blocking_threads(cores, limits.searches))
        .build()?;
    let outcome = runtime.block_on(serve(app, addr));
    runtime.shutdown_timeout(WIND_DOWN);
    outcome
}

/// How many threads run the blocking work (searches, `show`, `stats`, `verify`):
/// four per core, at least 8 and at most 64, and room for `searches` at once
/// plus 8 others. Enough that a long audit or a search past its timeout does not
/// hold up the others; bounded, so that memory stays flat under any number of
/// connections (tokio's default, 512, lets a burst of short tasks start hundreds
/// of threads, each with its own allocator caches). Work past the bound waits
/// in a queue, within its request's timeout.
fn blocking_threads(cores: usize, searches: usize) -> usize {
    (4 * cores).clamp(8, 64).max(searches.saturating_add(8))
}

/// The address `--addr` names: an IP and port, or a host name (`localhost`) and
/// port, resolved to its first address.
fn resolve(addr: &str) -> anyhow::Result<SocketAddr> {
    let bad = |why: String| {
        CliError::new(
            Exit::Usage,
            format!("--addr {}: {why}", crate::render::safe(addr)),
        )
        .with_remedy("give IP:PORT, e.g. --addr 127.0.0.1:7700")
    };
    if let Ok(addr) = addr.parse() {
        return Ok(addr);
    }
    addr.to_socket_addrs()
        .map_err(|e| bad(e.to_string()))?
        .next()
        .ok_or_else(|| bad("the name has no address".to_string()).into())
}

/// The CORS layer of `--cors ORIGIN`: browsers may call the API from pages of
/// ORIGIN (any origin for `*`), with the key header and JSON bodies. The header
/// is sent only to that origin.
fn cors_layer(origin: &str) -> anyhow::Result<CorsLayer> {
    let allowed = if origin == "*" {
        AllowOrigin::any()
    } else {
        let valid = (origin.starts_with("http://") || origin.starts_with("https://"))
            && !origin
                .trim_start_matches("http://")
                .trim_start_matches("https://")
                .contains('/');
        match HeaderValue::from_str(origin) {
            Ok(value) if valid => AllowOrigin::list([value]),
            _ => {
                return Err(CliError::new(
                    Exit::Usage,
                    format!("--cors {}: not an origin", crate::render::safe(origin)),
                )
                .with_remedy("give scheme://host[:port] with no path, e.g. --cors https://newsroom.example, or *")
                .into())
            }
        }
    };
    Ok(CorsLayer::new()
        .allow_origin(allowed)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .max_age(Duration::from_secs(3600)))
}

/// The whole application: the API, the page, the fallbacks and the layers.
fn router(state: Arc<AppState>, cors: Option<CorsLayer>) -> Router {
    let api = Router::new()
        .route("/api/search", get(api::search_get).post(api::search_post))
        .route("/api/show", get(api::show))
        .route("/api/stats", get(api::stats))
        .route("/api/health", get(api::health))
        .route("/api/verify", post(api::verify))
        .route("/api/openapi.json", get(api::openapi))
        .route_layer(from_fn_with_state(state.clone(), middleware::auth));
    let app = api
        .merge(page::routes())
        .fallback(middleware::no_route)
        .method_not_allowed_fallback(middleware::method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(from_fn_with_state(state.clone(), middleware::timeout))
        .with_state(state);
    let app = match cors {
        Some(cors) => app.layer(cors),
        None => app,
    };
    app.layer(from_fn(middleware::log))
}

/// Listens on `addr`, prints the address on stdout, and serves until SIGINT or
/// SIGTERM; then finishes the requests in flight.
async fn serve(app: Router, addr: SocketAddr) -> anyhow::Result<Exit> {
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        CliError::new(Exit::Failure, format!("cannot listen on {addr}: {e}")).with_remedy(
            "choose another port with --addr, e.g. --addr 127.0.0.1:0 for any free one",
        )
    })?;
    let local = listener.local_addr()?;
    {
        // The address people and scripts connect to (the port, with `:0`). A
        // closed stdout does not stop the server.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://{local}/");
        let _ = out.flush();
    }
    axum::serve(listener, app)
        .with_graceful_shutdown(stop_signal())
        .await?;
    messages::note("stopped");
    Ok(Exit::Ok)
}

/// Resolves at the first SIGINT or SIGTERM.
async fn stop_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    messages::note("shutting down: finishing the requests in flight");
}
