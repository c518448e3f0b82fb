//! The direction of imports, checked: every module of `src/` sits in a layer and imports only
//! from its own layer and the layers that layer stands on; inside a layer, modules never
//! import each other in a circle. A stand-in for the crate boundaries Zola draws between its
//! parts: reading `src/**/*.rs`, every `crate::`, `super::` (and, in the binary, `huifang::`)
//! path is resolved to the module it names and checked against [`LAYERS`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A layer: its modules, and the layers they may import besides their own.
struct Layer {
    name: &'static str,
    modules: &'static [&'static str],
    uses: &'static [&'static str],
}

/// The layers, lowest first. A file belongs to the longest module its module path starts
/// with (`survey::read` before `survey`). Reading and numbers stand side by side: the metrics
/// count the records of `model`, never how they were read, and `build` joins the two.
const LAYERS: &[Layer] = &[
    Layer {
        name: "base",
        // Values and rules every stage shares; none of them knows the pipeline.
        modules: &[
            "model", "period", "clock", "slug", "dates", "chars", "config", "privacy", "output",
            "seal", "memory",
        ],
        uses: &[],
    },
    Layer {
        name: "reading",
        // Visit logs and survey exports into typed records.
        modules: &["ingest", "survey::read"],
        uses: &["base"],
    },
    Layer {
        name: "numbers",
        // Records into the metrics of DOMAIN.md.
        modules: &["metrics"],
        uses: &["base"],
    },
    Layer {
        name: "surveys",
        // A survey campaign read, labelled, put in scale order and counted.
        modules: &["survey"],
        uses: &["base", "reading", "numbers"],
    },
    Layer {
        name: "versions",
        // Reports kept as numbered versions and compared.
        modules: &["versions"],
        uses: &["base", "numbers"],
    },
    Layer {
        name: "pages",
        // Everything computed, as pages, data files and charts.
        modules: &["charts", "site"],
        uses: &["base", "reading", "numbers", "surveys", "versions"],
    },
    Layer {
        name: "archives",
        // A report version as one self-contained file.
        modules: &["archive"],
        // Reading only for the (empty) ingestion report the page data carries.
        uses: &["base", "reading", "numbers", "versions", "pages"],
    },
    Layer {
        name: "documents",
        // A report version as a document to hand in: Word, PDF.
        modules: &["export"],
        uses: &[
            "base", "reading", "numbers", "versions", "pages", "archives",
        ],
    },
    Layer {
        name: "commands",
        // What the commands run: a whole build, the sample project, a new project.
        modules: &["build", "sample", "scaffold"],
        uses: &[
            "base",
            "reading",
            "numbers",
            "surveys",
            "versions",
            "pages",
            "archives",
            "documents",
        ],
    },
    Layer {
        name: "binary",
        // Arguments, one file per command, exit codes.
        modules: &["main", "cli", "cmd"],
        uses: &[
            "base",
            "reading",
            "numbers",
            "surveys",
            "versions",
            "pages",
            "archives",
            "documents",
            "commands",
        ],
    },
];

/// Children of one module that import each other, each pair with the reason it is left so.
/// Every other circle fails the test.
const CIRCLES: &[(&str, &str, &str)] = &[];

#[test]
fn imports_follow_the_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_sources(&root, &root, &mut files);
    assert!(files.len() > 50, "found only {} source files", files.len());
    let problems = check(&files, CIRCLES);
    assert!(
        problems.is_empty(),
        "imports against the layers of tests/layers.rs:\n{}",
        problems.join("\n")
    );
}

fn read_sources(root: &Path, dir: &Path, files: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_sources(root, &path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).unwrap().to_string_lossy();
            let text = std::fs::read_to_string(&path).unwrap();
            files.push((format!("src/{}", relative.replace('\\', "/")), text));
        }
    }
}

/// One import of one module by another.
struct Import {
    file: String,
    line: usize,
    /// As written, with a `use` group spelt out: `crate::ingest::text::shown`.
    written: String,
    /// The modules of [`LAYERS`] importing and imported.
    from: &'static str,
    to: &'static str,
    /// The two children of one module the import leads between, if it does: from
    /// `site::pages::report` to `site::pages::versions` it leads from `site::pages::report` to
    /// `site::pages::versions`, from `site::pages::report` to `site::figures` from
    /// `site::pages` to `site::figures`.
    siblings: Option<(String, String)>,
}

/// Every import of `files` (path under the package, text) against the layers, and every
/// circle but those of `known`, as messages naming the file, the line and the import.
fn check(files: &[(String, String)], known: &[(&str, &str, &str)]) -> Vec<String> {
    let modules = Modules::of(files);
    let mut problems = Vec::new();
    let mut imports = Vec::new();
    for (file, text) in files {
        let Some(at) = modules.place(file) else {
            continue;
        };
        let Some(from) = node(&at) else {
            problems.push(format!(
                "{file}: module `{}` is in no layer of tests/layers.rs: add it to LAYERS",
                at.path.join("::")
            ));
            continue;
        };
        for (line, written, target) in paths(text, &at) {
            let Some(to) = modules.target(&target) else {
                continue;
            };
            imports.push(Import {
                file: file.clone(),
                line,
                written,
                from,
                to,
                siblings: modules.siblings(&at, &target),
            });
        }
    }
    for i in &imports {
        let (from, to) = (layer(i.from), layer(i.to));
        if from.name != to.name && !from.uses.contains(&to.name) {
            let allowed = match from.uses {
                [] => "nothing else".to_owned(),
                uses => uses.join(", "),
            };
            problems.push(format!(
                "{}:{}: `{}`: {} (layer {}) imports {} (layer {}); {} may import {allowed}",
                i.file, i.line, i.written, i.from, from.name, i.to, to.name, from.name
            ));
        }
    }
    problems.extend(circles(&imports, known));
    problems
}

/// Imports between the children of one module that lead back to where they started, each
/// with the way back; the pairs of `known` (see [`CIRCLES`]) aside.
fn circles(imports: &[Import], known: &[(&str, &str, &str)]) -> Vec<String> {
    let mut edges: BTreeMap<&str, BTreeMap<&str, &Import>> = BTreeMap::new();
    for i in imports {
        if let Some((from, to)) = &i.siblings {
            edges.entry(from).or_default().entry(to).or_insert(i);
        }
    }
    let is_known = |a: &str, b: &str| {
        known
            .iter()
            .any(|&(x, y, _)| (x, y) == (a, b) || (x, y) == (b, a))
    };
    let mut problems = Vec::new();
    for (&from, targets) in &edges {
        for (&to, import) in targets {
            let Some(back) = way(&edges, to, from) else {
                continue;
            };
            if is_known(from, to) {
                continue;
            }
            let back: Vec<String> = back
                .iter()
                .map(|i| format!("{}:{}: `{}`", i.file, i.line, i.written))
                .collect();
            problems.push(format!(
                "{}:{}: `{}`: {from} imports {to}, which imports {from} back ({})",
                import.file,
                import.line,
                import.written,
                back.join(", then ")
            ));
        }
    }
    for &(a, b, _) in known {
        if way(&edges, a, b).is_none() || way(&edges, b, a).is_none() {
            problems.push(format!(
                "{a} and {b} no longer import each other in a circle: remove them from CIRCLES"
            ));
        }
    }
    problems
}

/// The imports leading from `start` to `goal`, if any do (breadth first, so the shortest).
fn way<'a>(
    edges: &BTreeMap<&'a str, BTreeMap<&'a str, &'a Import>>,
    start: &'a str,
    goal: &str,
) -> Option<Vec<&'a Import>> {
    let mut came_by: BTreeMap<&str, (&str, &Import)> = BTreeMap::new();
    let mut seen = BTreeSet::from([start]);
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        for (&next, &import) in edges.get(at).into_iter().flatten() {
            if seen.insert(next) {
                came_by.insert(next, (at, import));
                queue.push_back(next);
            }
        }
    }
    let mut way = Vec::new();
    let mut at = goal;
    while at != start {
        let &(previous, import) = came_by.get(at)?;
        way.push(import);
        at = previous;
    }
    way.reverse();
    Some(way)
}

fn layer(module: &str) -> &'static Layer {
    LAYERS
        .iter()
        .find(|l| l.modules.contains(&module))
        .expect("modules come from LAYERS")
}

/// Which crate a file is compiled into.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Crate {
    Lib,
    Bin,
}

/// A place in the code: a crate and a module path in it.
#[derive(Clone)]
struct Place {
    krate: Crate,
    path: Vec<String>,
}

/// The layer entry a module belongs to: the longest that starts its path. The binary's root
/// is `main`; the library's root (`lib.rs`) only declares the modules and is in no layer.
fn node(place: &Place) -> Option<&'static str> {
    if place.krate == Crate::Bin && place.path.is_empty() {
        return Some("main");
    }
    let path = place.path.join("::");
    LAYERS
        .iter()
        .flat_map(|l| l.modules.iter().copied())
        .filter(|n| path == *n || path.starts_with(&format!("{n}::")))
        .max_by_key(|n| n.len())
}

/// The modules of each crate, from the files under `src/`.
struct Modules {
    /// The modules `main.rs` declares.
    bin: BTreeSet<String>,
    /// Every module with a file, and the modules holding it: `site::pages::report`,
    /// `site::pages`, `site`.
    all: BTreeSet<(Crate, String)>,
}

impl Modules {
    fn of(files: &[(String, String)]) -> Modules {
        let main = files.iter().find(|(f, _)| f == "src/main.rs");
        let bin = main.map_or_else(BTreeSet::new, |(_, text)| declared(text));
        let mut modules = Modules {
            bin,
            all: BTreeSet::new(),
        };
        for (file, _) in files {
            if let Some(place) = modules.place(file) {
                for end in 1..=place.path.len() {
                    modules
                        .all
                        .insert((place.krate, place.path[..end].join("::")));
                }
            }
        }
        modules
    }

    fn is_module(&self, krate: Crate, path: &[String]) -> bool {
        self.all.contains(&(krate, path.join("::")))
    }

    /// Where a file's code is: `src/site/pages/mod.rs` is `site::pages` of the library.
    fn place(&self, file: &str) -> Option<Place> {
        let inner = file.strip_prefix("src/")?.strip_suffix(".rs")?;
        let mut path: Vec<String> = inner.split('/').map(str::to_owned).collect();
        if path.last().is_some_and(|l| l == "mod") {
            path.pop();
        }
        let krate = match path.first().map(String::as_str) {
            Some("lib") if path.len() == 1 => return None,
            Some("main") if path.len() == 1 => {
                path.clear();
                Crate::Bin
            }
            Some(top) if self.bin.contains(top) => Crate::Bin,
            _ => Crate::Lib,
        };
        Some(Place { krate, path })
    }

    /// The module of [`LAYERS`] an absolute path names, if it names a module (and not an
    /// item of a crate's root).
    fn target(&self, target: &Place) -> Option<&'static str> {
        let top = target.path.first()?;
        if !self.is_module(target.krate, std::slice::from_ref(top)) {
            return None;
        }
        node(target)
    }

    /// The two children of one module an import from `at` of `target` leads between, if it
    /// leads from one child to another (and not to or from the module itself).
    fn siblings(&self, at: &Place, target: &Place) -> Option<(String, String)> {
        if at.krate != target.krate {
            return None;
        }
        let shared = at
            .path
            .iter()
            .zip(&target.path)
            .take_while(|(a, b)| a == b)
            .count();
        let from = at.path.get(..=shared)?;
        let to = target.path.get(..=shared)?;
        self.is_module(target.krate, to)
            .then(|| (from.join("::"), to.join("::")))
    }
}

/// The modules a crate root declares (`mod cli;`).
fn declared(text: &str) -> BTreeSet<String> {
    let tokens = tokens(&code_only(text));
    tokens
        .windows(3)
        .filter(|w| w[0].text == "mod" && w[2].text == ";")
        .map(|w| w[1].text.clone())
        .collect()
}

/// Every path of `text` that starts at a crate's root or a parent module, with its line, as
/// written, and resolved from `at` to an absolute place.
fn paths(text: &str, at: &Place) -> Vec<(usize, String, Place)> {
    let tokens = tokens(&code_only(text));
    let mut found = Vec::new();
    // Inline modules (`mod tests { … }`) and the brace depth each closes at.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i].text;
        match t.as_str() {
            "{" => depth += 1,
            "}" => {
                depth = usize::saturating_sub(depth, 1);
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            "mod" if tokens.get(i + 2).is_some_and(|t| t.text == "{") => {
                inline.push((tokens[i + 1].text.clone(), depth));
            }
            _ => {}
        }
        let starts =
            matches!(t.as_str(), "crate" | "super") || (t == "huifang" && at.krate == Crate::Bin);
        let joined = i > 0 && matches!(tokens[i - 1].text.as_str(), "::" | "$");
        if starts && !joined && tokens.get(i + 1).is_some_and(|t| t.text == "::") {
            let mut written = Vec::new();
            let next = use_tree(&tokens, i, Vec::new(), &mut written);
            let here = Place {
                krate: at.krate,
                path: at
                    .path
                    .iter()
                    .cloned()
                    .chain(inline.iter().map(|(m, _)| m.clone()))
                    .collect(),
            };
            for (segments, line) in written {
                if let Some(target) = resolve(&segments, &here) {
                    found.push((line, segments.join("::"), target));
                }
            }
            // Past the path: the braces of a `use` group are not blocks.
            i = next;
            continue;
        }
        i += 1;
    }
    found
}

/// Reads a path or `use` tree from `tokens[i]`, pushing every full path it spells out onto
/// `out` with the line of its last name; returns the index after it.
fn use_tree(
    tokens: &[Token],
    mut i: usize,
    mut prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, usize)>,
) -> usize {
    loop {
        let line = tokens[i.min(tokens.len() - 1)].line;
        let Some(t) = tokens.get(i) else {
            out.push((prefix, line));
            return i;
        };
        match t.text.as_str() {
            "{" => {
                i += 1;
                while tokens.get(i).is_some_and(|t| t.text != "}") {
                    if tokens[i].text == "," {
                        i += 1;
                        continue;
                    }
                    i = use_tree(tokens, i, prefix.clone(), out);
                }
                return i + 1;
            }
            "*" | "self" => {
                out.push((prefix, line));
                return i + 1;
            }
            word if is_ident(word) => {
                prefix.push(word.to_owned());
                i += 1;
                if tokens.get(i).is_some_and(|t| t.text == "::") {
                    i += 1;
                    continue;
                }
                out.push((prefix, line));
                // `as name`
                if tokens.get(i).is_some_and(|t| t.text == "as") {
                    i += 2;
                }
                return i;
            }
            _ => {
                out.push((prefix, line));
                return i;
            }
        }
    }
}

/// An absolute place for a path written at `here`: `crate::` and `huifang::` start at a
/// crate's root, each `super::` one module up.
fn resolve(segments: &[String], here: &Place) -> Option<Place> {
    let mut rest = segments.iter().peekable();
    let (krate, mut path) = match segments.first()?.as_str() {
        "crate" => {
            rest.next();
            (here.krate, Vec::new())
        }
        "huifang" => {
            rest.next();
            (Crate::Lib, Vec::new())
        }
        _ => (here.krate, here.path.clone()),
    };
    while rest.next_if(|s| *s == "super").is_some() {
        path.pop()?;
    }
    path.extend(rest.cloned());
    Some(Place { krate, path })
}

struct Token {
    text: String,
    line: usize,
}

fn is_ident(word: &str) -> bool {
    word.starts_with(|c: char| c.is_alphabetic() || c == '_')
}

/// Identifiers, `::`, and every other character alone, with their lines.
fn tokens(code: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        } else if c.is_alphabetic() || c == '_' {
            let mut word = c.to_string();
            while let Some(&n) = chars.peek().filter(|n| n.is_alphanumeric() || **n == '_') {
                word.push(n);
                chars.next();
            }
            tokens.push(Token { text: word, line });
        } else if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            tokens.push(Token {
                text: "::".to_owned(),
                line,
            });
        } else if !c.is_whitespace() {
            tokens.push(Token {
                text: c.to_string(),
                line,
            });
        }
    }
    tokens
}

/// The code of a Rust file with its comments, strings and character literals blanked out,
/// line breaks kept, so doc links and messages are not read as imports.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    // Blanks chars[from..to], keeping line breaks.
    let blank = |out: &mut String, from: usize, to: usize| {
        for &c in &chars[from..to.min(chars.len())] {
            out.push(if c == '\n' { '\n' } else { ' ' });
        }
    };
    let word_before = |i: usize| i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let end = if c == '/' && next == Some('/') {
            (i..chars.len())
                .find(|&j| chars[j] == '\n')
                .unwrap_or(chars.len())
        } else if c == '/' && next == Some('*') {
            block_comment_end(&chars, i)
        } else if c == '"' {
            string_end(&chars, i + 1)
        } else if (c == 'r' || (c == 'b' && next == Some('r'))) && !word_before(i) {
            let start = if c == 'b' { i + 2 } else { i + 1 };
            let hashes = chars[start..].iter().take_while(|&&h| h == '#').count();
            if chars.get(start + hashes) == Some(&'"') {
                raw_string_end(&chars, start + hashes + 1, hashes)
            } else {
                i + 1
            }
        } else if c == '\'' {
            char_end(&chars, i)
        } else {
            i + 1
        };
        if end == i + 1 && !matches!(c, '"' | '\'') {
            out.push(c);
        } else {
            blank(&mut out, i, end);
        }
        i = end;
    }
    out
}

fn block_comment_end(chars: &[char], start: usize) -> usize {
    let (mut depth, mut i) = (0, start);
    while i + 1 < chars.len() {
        match (chars[i], chars[i + 1]) {
            ('/', '*') => {
                depth += 1;
                i += 2;
            }
            ('*', '/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return i;
                }
            }
            _ => i += 1,
        }
    }
    chars.len()
}

/// The index after the `"` closing a string whose text starts at `i`.
fn string_end(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    chars.len()
}

fn raw_string_end(chars: &[char], mut i: usize, hashes: usize) -> usize {
    while i < chars.len() {
        if chars[i] == '"'
            && chars[i + 1..]
                .iter()
                .take(hashes)
                .filter(|&&h| h == '#')
                .count()
                == hashes
        {
            return i + 1 + hashes;
        }
        i += 1;
    }
    chars.len()
}

/// After a character literal (`'a'`, `'\n'`, `'\u{1b}'`) starting at `i`; a lifetime (`'a`)
/// is left as it is (one character).
fn char_end(chars: &[char], i: usize) -> usize {
    match chars.get(i + 1) {
        Some('\\') => (i + 3..chars.len())
            .find(|&j| chars[j] == '\'')
            .map_or(chars.len(), |j| j + 1),
        Some(_) if chars.get(i + 2) == Some(&'\'') => i + 3,
        _ => i + 1,
    }
}

/// The checker itself, on planted files.
mod checker {
    use super::check as check_known;

    fn check(files: &[(String, String)]) -> Vec<String> {
        check_known(files, &[])
    }

    /// The problems of the small crate of [`files`] with one file planted in it.
    fn with(file: &str, text: &str) -> Vec<String> {
        check(&files(&[(file, text)]))
    }

    fn files(planted: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = [
            ("src/main.rs", "mod cli;\nmod cmd;\nfn main() {}\n"),
            ("src/cli.rs", ""),
            ("src/cmd/mod.rs", ""),
            ("src/model.rs", ""),
            ("src/config/mod.rs", "use crate::model::Field;\n"),
            (
                "src/ingest/mod.rs",
                "use crate::{config::Config, model::Sym};\n",
            ),
            ("src/metrics/mod.rs", "use crate::model::Sym;\n"),
            ("src/site/mod.rs", "pub mod pages;\n"),
            (
                "src/site/pages/mod.rs",
                "use super::super::metrics::Metrics;\n",
            ),
        ]
        .iter()
        .map(|(f, t)| (f.to_string(), t.to_string()))
        .collect();
        for (file, text) in planted {
            files.retain(|(f, _)| f != file);
            files.push((file.to_string(), text.to_string()));
        }
        files
    }

    #[test]
    fn imports_down_the_layers_pass() {
        assert_eq!(check(&files(&[])), Vec::<String>::new());
    }

    #[test]
    fn an_import_reaching_up_a_layer_is_named_with_its_file_and_line() {
        let planted = "use crate::model::Sym;\n\nuse crate::{\n    config::Config,\n    site::pages::{Page, SiteData},\n};\n";
        assert_eq!(
            with("src/ingest/mod.rs", planted),
            [
                "src/ingest/mod.rs:5: `crate::site::pages::Page`: ingest (layer reading) imports site (layer pages); reading may import base",
                "src/ingest/mod.rs:5: `crate::site::pages::SiteData`: ingest (layer reading) imports site (layer pages); reading may import base",
            ]
        );
    }

    #[test]
    fn layers_side_by_side_do_not_import_each_other() {
        let planted = "pub fn read(p: &Project) { crate::ingest::ingest_parallel(p); }\n";
        assert_eq!(
            with("src/metrics/mod.rs", planted),
            [
                "src/metrics/mod.rs:1: `crate::ingest::ingest_parallel`: metrics (layer numbers) imports ingest (layer reading); numbers may import base"
            ]
        );
    }

    #[test]
    fn super_paths_and_inline_modules_are_followed() {
        let planted = "fn f() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n    fn g() { super::super::site::render(); }\n}\n";
        assert_eq!(
            with("src/config/mod.rs", planted),
            [
                "src/config/mod.rs:5: `super::super::site::render`: config (layer base) imports site (layer pages); base may import nothing else"
            ]
        );
    }

    #[test]
    fn comments_strings_and_characters_are_not_imports() {
        let planted = "//! See [`crate::site`].\n/* crate::site::x */\nconst A: &str = \"crate::site::x\";\nconst B: &str = r#\"crate::site\"#;\nconst C: char = '\"';\nfn f<'a>(x: &'a str) -> &'a str { x }\n";
        assert_eq!(with("src/metrics/mod.rs", planted), Vec::<String>::new());
    }

    #[test]
    fn modules_of_one_layer_importing_each_other_in_a_circle_are_named() {
        let planted = [
            ("src/cli.rs", "use crate::cmd::Failure;\n"),
            (
                "src/cmd/build.rs",
                "use huifang::build;\nuse crate::cli::BuildArgs;\n",
            ),
            ("src/cmd/mod.rs", "pub mod build;\nuse crate::cli::Cli;\n"),
        ];
        assert_eq!(
            check(&files(&planted)),
            [
                "src/cli.rs:1: `crate::cmd::Failure`: cli imports cmd, which imports cli back (src/cmd/build.rs:2: `crate::cli::BuildArgs`)",
                "src/cmd/build.rs:2: `crate::cli::BuildArgs`: cmd imports cli, which imports cmd back (src/cli.rs:1: `crate::cmd::Failure`)",
            ]
        );
    }

    #[test]
    fn children_of_one_module_importing_each_other_in_a_circle_are_named() {
        let planted = [
            (
                "src/site/pages/report.rs",
                "use super::versions::history;\n",
            ),
            (
                "src/site/pages/versions.rs",
                "\nuse super::report::{page_at, Version};\n",
            ),
        ];
        assert_eq!(
            check(&files(&planted)),
            [
                "src/site/pages/report.rs:1: `super::versions::history`: site::pages::report imports site::pages::versions, which imports site::pages::report back (src/site/pages/versions.rs:2: `super::report::page_at`)",
                "src/site/pages/versions.rs:2: `super::report::page_at`: site::pages::versions imports site::pages::report, which imports site::pages::versions back (src/site/pages/report.rs:1: `super::versions::history`)",
            ]
        );
    }

    #[test]
    fn a_circle_left_on_purpose_is_named_until_it_is_gone() {
        let known = [("site::pages::report", "site::pages::versions", "why")];
        assert_eq!(
            check_known(&files(&[]), &known),
            [
                "site::pages::report and site::pages::versions no longer import each other in a circle: remove them from CIRCLES"
            ]
        );
    }

    #[test]
    fn a_module_in_no_layer_is_named() {
        assert_eq!(
            with("src/reports/mod.rs", ""),
            [
                "src/reports/mod.rs: module `reports` is in no layer of tests/layers.rs: add it to LAYERS"
            ]
        );
    }
}
