//! `huifang serve`: the author's loop. Builds the site into a temporary folder (or `--out`),
//! serves it on 127.0.0.1, and rebuilds when anything in the project folder changes. Served
//! HTML pages get a small script that reloads them after each build; the built files never do.
//! A failed build leaves the last good site in place (a build swaps its site in only when it
//! is complete) and shows the error in the terminal and over every page.

use super::Failure;
use crate::cli::ServeArgs;
use huifang::build::{BuildError, BuildOptions, BuildOutcome, build};
use huifang::config::Project;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

/// Where the page script asks whether a new build is in.
const STATE_PATH: &str = "/__huifang/state";
/// Changes closer together than this are one rebuild (an editor writes a file in steps).
const SETTLE: Duration = Duration::from_millis(150);

/// What the pages learn from the server: a counter that moves with every build, good or bad,
/// and the error of the latest one.
#[derive(Default)]
struct State {
    generation: u64,
    error: Option<String>,
}

pub fn run(args: &ServeArgs) -> Result<(), Failure> {
    let project = Project::load(&args.project.config)?;
    // The temporary folder lives as long as the server runs and is removed when it stops.
    let (out, _temporary) = match &args.out {
        Some(out) => (out.clone(), None),
        None => {
            let dir = tempfile::tempdir().map_err(anyhow::Error::from)?;
            (dir.path().join("site"), Some(dir))
        }
    };
    let server = tiny_http::Server::http(("127.0.0.1", args.port))
        .map_err(|e| Failure::Config(format!("cannot listen on 127.0.0.1:{}: {e}", args.port)))?;
    let port = server.server_addr().to_ip().map_or(args.port, |a| a.port());

    let (changed, changes) = mpsc::channel();
    // Ctrl-C ends the loop below, so `run` returns and the temporary site is removed; without
    // the handler the process would die where it stands and leave it behind.
    let stop = changed.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Signal::Stop);
    })
    .map_err(anyhow::Error::from)?;
    let state = Arc::new(Mutex::new(State::default()));
    let rebuild = |state: &Mutex<State>| {
        let result = build_once(&project, &out, args.as_of);
        let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
        state.generation += 1;
        match result {
            Ok(()) => {
                if state.error.take().is_some() {
                    eprintln!("built: the error is fixed");
                } else {
                    eprintln!("built");
                }
            }
            Err(message) => {
                eprintln!("error: {message}\n(the last good site is still served)");
                state.error = Some(message);
            }
        }
    };
    rebuild(&state);

    let ignored = Ignored::new(&project, &out);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reading a file is an event too (the build reads every input): only changes count.
        if let Ok(event) = event
            && (event.kind.is_create() || event.kind.is_modify() || event.kind.is_remove())
            && event.paths.iter().any(|p| !ignored.covers(p))
        {
            let _ = changed.send(Signal::Changed);
        }
    })
    .map_err(anyhow::Error::from)?;
    notify::Watcher::watch(
        &mut watcher,
        &project.root,
        notify::RecursiveMode::Recursive,
    )
    .map_err(anyhow::Error::from)?;

    let url = format!("http://127.0.0.1:{port}/");
    eprintln!("serving {url} (Ctrl-C stops; rebuilds when the project changes)");
    if args.open {
        open_browser(&url);
    }
    {
        let state = Arc::clone(&state);
        let out = out.clone();
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                respond(request, &out, &state);
            }
        });
    }
    while let Ok(Signal::Changed) = changes.recv() {
        // Let the burst of events from one save settle, then build once.
        loop {
            match changes.recv_timeout(SETTLE) {
                Ok(Signal::Changed) => {}
                Ok(Signal::Stop) => return stopped(watcher),
                Err(_) => break,
            }
        }
        rebuild(&state);
    }
    stopped(watcher)
}

enum Signal {
    Changed,
    Stop,
}

fn stopped(watcher: notify::RecommendedWatcher) -> Result<(), Failure> {
    drop(watcher);
    eprintln!("stopped");
    Ok(())
}

fn build_once(
    project: &Project,
    out: &Path,
    as_of: Option<chrono::NaiveDate>,
) -> Result<(), String> {
    // The config too may have changed: read it again for each build.
    let project = Project::load(&project.config_path).map_err(|e| e.to_string())?;
    let options = BuildOptions {
        out: out.to_owned(),
        as_of: as_of.unwrap_or_else(|| project.config.as_of_or_today()),
        strict: false,
        force: false,
        accept_history_change: false,
        lock_wait: Duration::from_secs(60),
        documents: huifang::export::Options::default(),
    };
    match build(&project, &options, || {}) {
        Ok(BuildOutcome::Built(_) | BuildOutcome::UpToDate { .. }) => Ok(()),
        Err(BuildError::Data { message, .. }) => Err(message),
        Err(BuildError::Config(message) | BuildError::Internal(message)) => Err(message),
    }
}

/// Paths whose changes are the build's own doing or no input: the served site, the snapshots,
/// the build's lock and staging folders, version control.
struct Ignored {
    out: PathBuf,
    snapshots: PathBuf,
}

impl Ignored {
    fn new(project: &Project, out: &Path) -> Ignored {
        let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
        Ignored {
            out: absolute(out),
            snapshots: absolute(&project.resolve(&project.config.snapshots_dir)),
        }
    }

    fn covers(&self, path: &Path) -> bool {
        let hidden = path.components().any(|c| match c {
            Component::Normal(name) => {
                let name = name.to_string_lossy();
                name.starts_with(".huifang") || name == ".git"
            }
            _ => false,
        });
        hidden || path.starts_with(&self.out) || path.starts_with(&self.snapshots)
    }
}

fn respond(request: tiny_http::Request, out: &Path, state: &Mutex<State>) {
    let url = request
        .url()
        .split(['?', '#'])
        .next()
        .unwrap_or("/")
        .to_owned();
    let (generation, error) = {
        let state = state.lock().unwrap_or_else(|e| e.into_inner());
        (state.generation, state.error.clone())
    };
    if url == STATE_PATH {
        let _ = request.respond(text_response(generation.to_string(), "text/plain"));
        return;
    }
    let found = file_for(out, &url).and_then(|f| Some((std::fs::read(&f).ok()?, f)));
    let Some((bytes, file)) = found else {
        let response = match error {
            // No site yet (the first build failed): the error, on a page that reloads.
            Some(message) => {
                let page = inject(
                    "<!DOCTYPE html><html><body></body></html>",
                    generation,
                    Some(&message),
                );
                text_response(page, "text/html").with_status_code(500)
            }
            None => tiny_http::Response::from_string("not found").with_status_code(404),
        };
        let _ = request.respond(response);
        return;
    };
    let kind = content_type(&file);
    if kind.starts_with("text/html") {
        let page = String::from_utf8_lossy(&bytes);
        let page = inject(&page, generation, error.as_deref());
        let _ = request.respond(text_response(page, kind));
    } else {
        let header = tiny_http::Header::from_bytes("Content-Type", kind).ok();
        let mut response = tiny_http::Response::from_data(bytes);
        if let Some(header) = header {
            response.add_header(header);
        }
        let _ = request.respond(response);
    }
}

fn text_response(body: String, kind: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let mut response = tiny_http::Response::from_string(body);
    if let Ok(header) =
        tiny_http::Header::from_bytes("Content-Type", format!("{kind}; charset=utf-8"))
    {
        response.add_header(header);
    }
    if let Ok(header) = tiny_http::Header::from_bytes("Cache-Control", "no-store") {
        response.add_header(header);
    }
    response
}

/// The file a URL path names inside `out`: `/` and folders mean their `index.html`. None for
/// a path that would leave `out` or names nothing.
fn file_for(out: &Path, url: &str) -> Option<PathBuf> {
    let mut file = out.to_owned();
    for part in url.split('/').filter(|p| !p.is_empty()) {
        let part = percent_decode(part)?;
        if part == "." || part == ".." || part.contains(['/', '\\']) {
            return None;
        }
        file.push(part);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

/// `%E5%9B%9E` → `回`; None for a broken escape or bytes that are not UTF-8.
fn percent_decode(part: &str) -> Option<String> {
    let bytes = part.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            decoded.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("json") => "application/json",
        Some("csv") => "text/csv",
        Some("png") => "image/png",
        Some("pdf") => "application/pdf",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// The page with the reload script (and the error, if the latest build failed) before
/// `</body>`: only in what is served, never in the built files.
fn inject(page: &str, generation: u64, error: Option<&str>) -> String {
    let overlay = match error {
        Some(message) => format!(
            "<div id=\"huifang-serve-error\" style=\"position:fixed;inset:auto 0 0 0;max-height:50vh;\
             overflow:auto;margin:0;padding:1em;background:#fff0f0;color:#900;border-top:3px solid \
             #900;font:14px/1.4 monospace;white-space:pre-wrap;z-index:2147483647\">huifang build \
             failed; this is the last good site.\n\n{}</div>",
            escape(message)
        ),
        None => String::new(),
    };
    let script = format!(
        "<script>(function(){{var g=\"{generation}\";setInterval(function(){{\
         fetch(\"{STATE_PATH}\",{{cache:\"no-store\"}}).then(function(r){{return r.text()}})\
         .then(function(t){{if(t!==g)location.reload()}}).catch(function(){{}})}},500)}})();</script>"
    );
    let addition = format!("{overlay}{script}");
    match page.rfind("</body>") {
        Some(at) => format!("{}{addition}{}", &page[..at], &page[at..]),
        None => format!("{page}{addition}"),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Best effort: the URL is printed anyway.
fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(program)
        .arg(url)
        .spawn()
        .is_err()
    {
        eprintln!("could not start {program}: open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_map_to_files_inside_the_site_only() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        std::fs::create_dir_all(out.join("reports/2026-10")).unwrap();
        std::fs::write(out.join("index.html"), "home").unwrap();
        std::fs::write(out.join("reports/2026-10/index.html"), "month").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "no").unwrap();
        assert_eq!(file_for(&out, "/"), Some(out.join("index.html")));
        assert_eq!(
            file_for(&out, "/reports/2026-10/"),
            Some(out.join("reports/2026-10/index.html"))
        );
        assert_eq!(file_for(&out, "/../secret.txt"), None);
        assert_eq!(file_for(&out, "/%2e%2e/secret.txt"), None);
        assert_eq!(file_for(&out, "/reports%2F..%2F..%2Fsecret.txt"), None);
        assert_eq!(file_for(&out, "/%zz"), None);
        assert_eq!(file_for(&out, "/missing.html"), None);
    }

    #[test]
    fn the_script_and_the_error_go_before_the_end_of_the_body() {
        let page = inject("<html><body><p>x</p></body></html>", 3, Some("a <b> & c"));
        let body_end = page.rfind("</body>").unwrap();
        let overlay = page.find("huifang-serve-error").unwrap();
        assert!(overlay < body_end);
        assert!(page.contains("a &lt;b&gt; &amp; c"));
        assert!(page.contains("var g=\"3\""));
        assert!(inject("<p>no body</p>", 1, None).ends_with("</script>"));
    }
}
