//! Acceptance test of the personal-data requirement: a corpus of planted personal values (every
//! kind, several spellings each, in every free-text path) builds a site in which a scan with
//! the test's own regular expressions finds none of them, in pages, data files, archives,
//! snapshots and the terminal output; while dates, amounts, record ids, counts and percentages
//! in comments are left as they are.
//!
//! Nothing here calls huifang's masking code: the generator, the normalisation of what is
//! scanned and the detectors are written in this file. Each planted value travels with a
//! harmless control marker (`样本标记C017`) that must be found in the output, so the test
//! cannot pass because nothing was published.

use crate::util;

use regex::Regex;
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Output;
use util::huifang;

// ---------------------------------------------------------------------------------------------
// What is planted
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Mobile,
    Landline,
    IdCard,
    Email,
    BankCard,
    Qq,
    WeChat,
    Plate,
    Passport,
    Address,
    Name,
}

const KINDS: [Kind; 11] = [
    Kind::Mobile,
    Kind::Landline,
    Kind::IdCard,
    Kind::Email,
    Kind::BankCard,
    Kind::Qq,
    Kind::WeChat,
    Kind::Plate,
    Kind::Passport,
    Kind::Address,
    Kind::Name,
];

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Mobile => "mobile",
            Kind::Landline => "landline",
            Kind::IdCard => "id-card",
            Kind::Email => "e-mail",
            Kind::BankCard => "bank-card",
            Kind::Qq => "qq",
            Kind::WeChat => "wechat",
            Kind::Plate => "plate",
            Kind::Passport => "passport",
            Kind::Address => "address",
            Kind::Name => "name",
        }
    }
}

/// The free-text path a value was planted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Via {
    /// A customer comment on a complaint row of the visit logs.
    VisitComment,
    /// A survey's free-text answer (问卷星 question 6, 腾讯问卷 question 4).
    SurveyText,
    /// A survey's `其他〖…〗` fill-in (问卷星) or typed 其他 cell (腾讯问卷).
    SurveyOther,
    /// A short answer to a survey question asking for a name or a phone number.
    SurveyChoice,
    /// A faulty cell of a visit row, quoted by a warning or a rejection.
    WarningCell,
}

impl Via {
    fn label(self) -> &'static str {
        match self {
            Via::VisitComment => "visit comment",
            Via::SurveyText => "survey text answer",
            Via::SurveyOther => "survey 其他 fill-in",
            Via::SurveyChoice => "survey name/phone answer",
            Via::WarningCell => "cell quoted in a warning",
        }
    }
}

const VIAS: [Via; 5] = [
    Via::VisitComment,
    Via::SurveyText,
    Via::SurveyOther,
    Via::SurveyChoice,
    Via::WarningCell,
];

struct Planted {
    kind: Kind,
    via: Via,
    /// Which spelling of the kind (see [`Gen::value`]).
    spelling: usize,
    /// As written into the input.
    written: String,
    /// The control marker published with it (none for name/phone answers: those are never
    /// to be listed, so there is nothing to prove published but the question itself).
    marker: Option<String>,
    /// What finds it in the output.
    detector: Detector,
}

/// A tiny linear congruential generator: the corpus is the same on every run and platform.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }

    /// `n` digits, the first not 0.
    fn number(&mut self, n: usize) -> String {
        format!("{}{}", self.range(1, 9), self.digits(n - 1))
    }
}

const SURNAMES: [&str; 60] = [
    "张", "王", "李", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "蒋", "蔡", "余", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任",
    "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "廖",
];
const COMPOUND_SURNAMES: [&str; 6] = ["欧阳", "司马", "上官", "诸葛", "东方", "慕容"];
const GIVEN_NAMES: [&str; 16] = [
    "敏", "建国", "秀英", "志强", "丽华", "海燕", "德明", "晓峰", "桂兰", "国庆", "红梅", "振华",
    "玉珍", "永刚", "淑芬", "卫东",
];
const PROVINCES: [&str; 12] = [
    "粤", "京", "沪", "苏", "浙", "川", "鄂", "湘", "鲁", "闽", "皖", "津",
];
/// Plate letters: no I or O.
const PLATE_LETTERS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const MOBILE_PREFIXES: [&str; 24] = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "157", "158", "159", "166", "177", "180", "182", "186", "188", "191", "199",
];
/// Characters that may stand between the digits of one number: `138 1234-5678`,
/// `(021)62345678`, `+86-138…`.
const NUMBER_SEP: &str = r"[ \t\-.·•・/()—–_]";
/// Separators a detector allows between the parts of a written value.
const SEP: &str = r"[\s\-.·•・_]*";

fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
            ' ' => '\u{3000}',
            c => c,
        })
        .collect()
}

/// The check character of an 18-digit ID-card number (GB 11643).
fn id_check(first17: &str) -> char {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize] as char
}

/// The Luhn check digit bank cards end with.
fn luhn_digit(body: &str) -> char {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let d2 = d * 2;
                if d2 > 9 { d2 - 9 } else { d2 }
            } else {
                d
            }
        })
        .sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

fn grouped(s: &str, sizes: &[usize], sep: &str) -> String {
    let mut parts = Vec::new();
    let mut at = 0;
    for &n in sizes {
        parts.push(&s[at..(at + n).min(s.len())]);
        at += n;
    }
    if at < s.len() {
        parts.push(&s[at..]);
    }
    parts.join(sep)
}

struct Value {
    written: String,
    /// Found when this digit string is part of a number of the output.
    digits: Option<String>,
    /// Found when this regex matches the normalised output, lower-cased; the literal first
    /// (which every match contains) picks the texts worth running it on.
    pattern: Option<(String, String)>,
}

impl Value {
    fn by_digits(written: String, digits: String) -> Value {
        Value {
            written,
            digits: Some(digits),
            pattern: None,
        }
    }

    /// `literal`, then the `regex` run where it occurs.
    fn by_pattern(written: String, literal: String, regex: String) -> Value {
        Value {
            written,
            digits: None,
            pattern: Some((literal, regex)),
        }
    }
}

/// Finds one planted value in scanned text.
struct Detector {
    /// Found when this digit string is part of a number (separators removed).
    digits: Option<String>,
    /// Found when the literal is in the lower-cased text and the regex matches there.
    pattern: Option<(String, Regex)>,
}

impl Detector {
    fn new(digits: Option<String>, pattern: Option<(String, String)>) -> Detector {
        Detector {
            digits,
            pattern: pattern.map(|(literal, re)| (literal, Regex::new(&re).unwrap())),
        }
    }

    fn finds(&self, w: &Written) -> bool {
        self.digits
            .as_ref()
            .is_some_and(|d| w.digits.contains(d.as_str()))
            || self.pattern.as_ref().is_some_and(|(literal, re)| {
                w.lower.contains(literal.as_str()) && re.is_match(&w.lower)
            })
    }

    /// The text around where it finds its value, to show in the report.
    fn locate(&self, w: &Written) -> String {
        let re = match (&self.pattern, &self.digits) {
            (Some((_, re)), _) => re.clone(),
            (None, Some(digits)) => {
                let spaced = digits
                    .chars()
                    .map(String::from)
                    .collect::<Vec<_>>()
                    .join(&format!("{NUMBER_SEP}{{0,3}}"));
                Regex::new(&spaced).unwrap()
            }
            (None, None) => return String::new(),
        };
        // Lower-casing ASCII keeps every byte offset, so the match places the original text.
        re.find(&w.lower)
            .map_or_else(String::new, |m| context(&w.normalised, m.start(), m.end()))
    }
}

/// Every detector at once: one pass over a text finds the values it may hold, and each is
/// confirmed by its own detector.
struct Index {
    /// Digit strings, and the values they find.
    digits: std::collections::HashMap<String, Vec<usize>>,
    lengths: BTreeSet<usize>,
    /// Literals (see [`Value::pattern`]) by their first character: ASCII, then the rest.
    ascii: Vec<Vec<(String, usize)>>,
    other: std::collections::HashMap<char, Vec<(String, usize)>>,
}

impl Index {
    fn new(planted: &[Planted]) -> Index {
        let mut index = Index {
            digits: Default::default(),
            lengths: BTreeSet::new(),
            ascii: vec![Vec::new(); 128],
            other: Default::default(),
        };
        for (i, p) in planted.iter().enumerate() {
            if let Some(d) = &p.detector.digits {
                index.digits.entry(d.clone()).or_default().push(i);
                index.lengths.insert(d.len());
            }
            if let Some((literal, _)) = &p.detector.pattern {
                let first = literal.chars().next().unwrap();
                let bucket = if first.is_ascii() {
                    &mut index.ascii[first as usize]
                } else {
                    index.other.entry(first).or_default()
                };
                bucket.push((literal.clone(), i));
            }
        }
        index
    }

    fn found_in(&self, planted: &[Planted], w: &Written) -> BTreeSet<usize> {
        let mut candidates = BTreeSet::new();
        for run in w.digits.split('|') {
            for &len in self.lengths.iter().take_while(|&&len| len <= run.len()) {
                for start in 0..=run.len() - len {
                    if let Some(found) = self.digits.get(&run[start..start + len]) {
                        candidates.extend(found);
                    }
                }
            }
        }
        for (at, c) in w.lower.char_indices() {
            let bucket = if c.is_ascii() {
                Some(&self.ascii[c as usize])
            } else {
                self.other.get(&c)
            };
            for (literal, i) in bucket.into_iter().flatten() {
                if w.lower[at..].starts_with(literal.as_str()) {
                    candidates.insert(*i);
                }
            }
        }
        candidates
            .into_iter()
            .filter(|&i| planted[i].detector.finds(w))
            .collect()
    }
}

/// Text as the detectors see it.
struct Written {
    normalised: String,
    /// `normalised` with ASCII lower-cased.
    lower: String,
    /// Every number in it, digits alone (see [`digit_runs`]).
    digits: String,
}

impl Written {
    fn of(text: &str) -> Written {
        Written::of_normalised(normalise(text))
    }

    fn of_normalised(normalised: String) -> Written {
        let lower = normalised.to_ascii_lowercase();
        let digits = digit_runs(&normalised);
        Written {
            normalised,
            lower,
            digits,
        }
    }
}

struct Gen {
    rng: Lcg,
    /// Spellings used so far per kind, so every path walks on through each kind's spellings.
    next_spelling: BTreeMap<Kind, usize>,
    /// The values planted so far, as scanned.
    written: Vec<Written>,
    names_taken: BTreeSet<String>,
    planted: Vec<Planted>,
}

impl Gen {
    fn new() -> Gen {
        Gen {
            rng: Lcg(0x6875_6966_616e_6721),
            next_spelling: BTreeMap::new(),
            written: Vec::new(),
            names_taken: BTreeSet::new(),
            planted: Vec::new(),
        }
    }

    /// How many spellings each kind has.
    fn spellings(kind: Kind) -> usize {
        match kind {
            Kind::Mobile => 13,
            Kind::Landline => 6,
            Kind::IdCard => 6,
            Kind::Email => 5,
            Kind::BankCard => 6,
            Kind::Qq => 5,
            Kind::WeChat => 6,
            Kind::Plate => 5,
            Kind::Passport => 4,
            Kind::Address => 6,
            Kind::Name => 9,
        }
    }

    /// A new value of `kind` in the kind's next spelling, recorded as planted via `via`.
    fn plant(&mut self, kind: Kind, via: Via, marker: Option<String>) -> String {
        let counter = self.next_spelling.entry(kind).or_default();
        let spelling = *counter % Gen::spellings(kind);
        *counter += 1;
        self.plant_spelling(kind, spelling, via, marker)
    }

    fn plant_spelling(
        &mut self,
        kind: Kind,
        spelling: usize,
        via: Via,
        marker: Option<String>,
    ) -> String {
        // A new value must not be found by any earlier value's detector, nor find any earlier
        // value: each detection in the output then names exactly one planted value.
        let mut attempts = 0;
        let (value, detector) = loop {
            attempts += 1;
            assert!(
                attempts < 100,
                "no {} in spelling {spelling} that its detector finds apart from the others",
                kind.label()
            );
            let v = self.value(kind, spelling);
            let detector = Detector::new(v.digits.clone(), v.pattern.clone());
            let own = Written::of(&v.written);
            let clash = self
                .planted
                .iter()
                .zip(&self.written)
                .any(|(p, w)| p.detector.finds(&own) || detector.finds(w));
            if !clash && detector.finds(&own) {
                self.written.push(own);
                break (v, detector);
            }
        };
        self.planted.push(Planted {
            kind,
            via,
            spelling,
            written: value.written.clone(),
            marker,
            detector,
        });
        value.written
    }

    fn value(&mut self, kind: Kind, s: usize) -> Value {
        let r = &mut self.rng;
        match kind {
            Kind::Mobile => {
                let m = format!("{}{}", r.pick(&MOBILE_PREFIXES), r.digits(8));
                let (a, b, c) = (&m[..3], &m[3..7], &m[7..]);
                let g443 = |sep: &str| grouped(&m, &[4, 4], sep);
                let written = match s {
                    0 => m.clone(),
                    1 => format!("{a} {b} {c}"),
                    2 => format!("{a}-{b}-{c}"),
                    3 => format!("{a}.{b}.{c}"),
                    4 => g443(" "),
                    5 => g443("-"),
                    6 => g443("."),
                    7 => format!("{a}\u{200b}{b}\u{200b}{c}"),
                    8 => full_width(&m),
                    9 => format!("+86 {m}"),
                    10 => format!("0086-{m}"),
                    11 => format!("+86-{a}-{b}-{c}"),
                    _ => full_width(&format!("{a} {b} {c}")),
                };
                Value::by_digits(written, m)
            }
            Kind::Landline => {
                let area3 = r
                    .pick(&[
                        "010", "020", "021", "022", "023", "024", "025", "027", "028", "029",
                    ])
                    .to_string();
                let area4 = r
                    .pick(&[
                        "0755", "0571", "0512", "0531", "0371", "0591", "0731", "0851",
                    ])
                    .to_string();
                let local = format!("{}{}", r.range(2, 8), r.digits(7));
                let (l1, l2) = (&local[..4], &local[4..]);
                let written = match s {
                    0 => format!("{area3}-{local}"),
                    1 => format!("{area4} {l1} {l2}"),
                    2 => format!("({area3}){local}"),
                    3 => format!("{area3}-{local}转{}", r.range(100, 899)),
                    4 => format!("{area4}-{l1}-{l2}"),
                    _ => format!("（{area4}）{local}"),
                };
                // The local number is the person's: a leak of it alone counts.
                Value::by_digits(written, local)
            }
            Kind::IdCard => {
                let region = r
                    .pick(&["110101", "440305", "310104", "330106", "320102", "510107"])
                    .to_string();
                let birth = |r: &mut Lcg, long: bool| {
                    let year = r.range(1950, 2005);
                    let y = if long {
                        year.to_string()
                    } else {
                        format!("{:02}", year % 100)
                    };
                    format!("{y}{:02}{:02}", r.range(1, 12), r.range(1, 28))
                };
                if s == 3 {
                    let id = format!("{region}{}{}", birth(r, false), r.digits(3));
                    return Value {
                        written: id.clone(),
                        digits: Some(id),
                        pattern: None,
                    };
                }
                let want_x = s == 1 || s == 2;
                let id = loop {
                    let first = format!("{region}{}{}", birth(r, true), r.digits(3));
                    let check = id_check(&first);
                    if (check == 'X') == want_x {
                        break format!("{first}{check}");
                    }
                };
                let written = match s {
                    0 => id.clone(),
                    1 => id.clone(),
                    2 => id.to_lowercase(),
                    4 => grouped(&id, &[6, 8], " "),
                    _ => full_width(&id),
                };
                Value::by_digits(written, id[..17].to_owned())
            }
            Kind::Email => {
                let local = format!(
                    "{}{}",
                    r.pick(&[
                        "zhang.san",
                        "li_si",
                        "wang.wu",
                        "zhao-liu",
                        "chen.jing",
                        "sun.li",
                        "zhou_qiang",
                        "a1x"
                    ]),
                    r.range(10, 99)
                );
                let domain = r
                    .pick(&[
                        "example.com",
                        "example.cn",
                        "mail.example.org",
                        "example.net",
                        "b.com",
                    ])
                    .to_string();
                let written = match s {
                    0 => format!("{local}@{domain}"),
                    1 => format!("{local} @ {domain}"),
                    2 => format!("{local}＠{domain}"),
                    3 => format!("{local}@{domain}").to_uppercase(),
                    _ => full_width(&format!("{local}@{domain}")),
                };
                Value::by_pattern(
                    written,
                    local.clone(),
                    format!(
                        r"{}\s*@\s*{}",
                        regex::escape(&local),
                        regex::escape(&domain)
                    ),
                )
            }
            Kind::BankCard => {
                let len = [16, 19, 16, 19, 17, 18][s];
                let prefix = r
                    .pick(&[
                        "6217", "6222", "6228", "6212", "6225", "6214", "4367", "6226",
                    ])
                    .to_string();
                let body = format!("{prefix}{}", r.digits(len - 5));
                let card = format!("{body}{}", luhn_digit(&body));
                let written = match s {
                    2 | 5 => grouped(&card, &[4, 4, 4, 4], " "),
                    3 => grouped(&card, &[4, 4, 4, 4], "-"),
                    _ => card.clone(),
                };
                Value::by_digits(written, card)
            }
            Kind::Qq => {
                let len = r.range(8, 10);
                let n = r.number(len);
                let written = match s {
                    0 => format!("QQ {n}"),
                    1 => format!("qq:{n}"),
                    2 => format!("QQ号：{n}"),
                    3 => format!("QQ号码 {n}"),
                    _ => format!("ＱＱ：{n}"),
                };
                Value::by_digits(written, n)
            }
            Kind::WeChat => {
                let base = r.pick(&[
                    "zhang_san",
                    "wxid_",
                    "lisi-",
                    "wang_wu_",
                    "chen",
                    "Zhao_Min_",
                    "liumei_",
                ]);
                let id = if *base == "wxid_" {
                    let letters: String = (0..5)
                        .map(|_| char::from(b'a' + r.below(26) as u8))
                        .collect();
                    format!("wxid_{letters}{}", r.digits(3))
                } else {
                    let len = r.range(2, 6);
                    format!("{base}{}", r.number(len))
                };
                let written = match s {
                    0 => format!("微信 {id}"),
                    1 => format!("微信号: {id}"),
                    2 => format!("vx: {id}"),
                    3 => format!("wx：{id}"),
                    4 => format!("加V：{id}"),
                    _ => format!("微信：{id}"),
                };
                Value::by_pattern(
                    written,
                    id.to_lowercase(),
                    regex::escape(&id.to_lowercase()),
                )
            }
            Kind::Plate => {
                let province = r.pick(&PROVINCES).to_string();
                let letter = char::from(*r.pick(PLATE_LETTERS));
                let alnum = |r: &mut Lcg| -> String {
                    (0..5)
                        .map(|i| {
                            if i % 2 == 1 && r.below(2) == 0 {
                                char::from(*r.pick(PLATE_LETTERS))
                            } else {
                                char::from(b'0' + r.below(10) as u8)
                            }
                        })
                        .collect()
                };
                let rest = match s {
                    0 => r.digits(5),
                    2 => format!("{}{}", r.pick(&["D", "F"]), r.digits(5)),
                    _ => alnum(r),
                };
                let written = match s {
                    1 => format!("{province}{letter}·{rest}"),
                    3 => format!("{province}{letter}-{rest}"),
                    4 => format!("{province}{letter} {rest}"),
                    _ => format!("{province}{letter}{rest}"),
                };
                Value::by_pattern(
                    written,
                    rest.to_lowercase(),
                    format!(
                        "{province}{SEP}{}{SEP}{}",
                        letter.to_ascii_lowercase(),
                        regex::escape(&rest.to_lowercase())
                    ),
                )
            }
            Kind::Passport => {
                let (letters, number) = match s {
                    2 => ("EA".to_owned(), r.digits(7)),
                    _ => (r.pick(&["E", "G", "P"]).to_string(), r.digits(8)),
                };
                let written = match s {
                    0 => format!("护照号{letters}{number}"),
                    1 => format!("护照 {letters}{number}"),
                    2 => format!("passport: {letters}{number}"),
                    _ => format!("Passport No. {letters}{number}"),
                };
                Value::by_pattern(
                    written,
                    number.clone(),
                    format!("{}{SEP}{number}", letters.to_lowercase()),
                )
            }
            Kind::Address => {
                let building = r.range(1, 32);
                let unit = r.range(1, 6);
                let room = format!("{}{:02}", r.range(2, 33), r.range(1, 4));
                let block = char::from(*r.pick(b"ABCDEF"));
                let parts: Vec<String> = match s {
                    0 => vec![format!("{building}栋"), format!("{unit}单元"), room.clone()],
                    1 => vec![format!("{building}栋"), room.clone()],
                    2 => vec![format!("{building}号楼"), room.clone(), "室".into()],
                    3 => vec![format!("{block}座"), room.clone()],
                    4 => vec![
                        format!("{building}幢"),
                        format!("{unit}单元"),
                        room.clone(),
                        "室".into(),
                    ],
                    _ => vec![
                        format!("{building}号楼"),
                        format!("{unit}单元"),
                        room.clone(),
                    ],
                };
                let written = parts.concat();
                // The building, unit and room; a trailing 室 is not needed to find them.
                let found: Vec<String> = parts
                    .iter()
                    .filter(|p| *p != "室")
                    .map(|p| regex::escape(&p.to_lowercase()))
                    .collect();
                Value::by_pattern(
                    written,
                    parts[0].to_lowercase(),
                    format!(r"(?:^|[^0-9a-z]){}", found.join(r"\s*")),
                )
            }
            Kind::Name => loop {
                let honorific = |r: &mut Lcg, list: &[&str]| r.pick(list).to_string();
                let (written, name) = match s {
                    0..=4 => {
                        let title = ["女士", "先生", "阿姨", "师傅", "经理"][s];
                        let name = format!("{}{title}", r.pick(&SURNAMES));
                        (name.clone(), name)
                    }
                    5 => {
                        let name = format!(
                            "{}{}",
                            r.pick(&COMPOUND_SURNAMES),
                            honorific(r, &["先生", "女士"])
                        );
                        (name.clone(), name)
                    }
                    6 | 7 => {
                        let full = format!("{}{}", r.pick(&SURNAMES), r.pick(&GIVEN_NAMES));
                        let label = if s == 6 { "姓名：" } else { "联系人:" };
                        (format!("{label}{full}"), full)
                    }
                    _ => {
                        let name = format!(
                            "{}{}",
                            r.pick(&SURNAMES),
                            honorific(r, &["小姐", "大爷", "老师", "主任"])
                        );
                        (name.clone(), name)
                    }
                };
                if self.names_taken.insert(name.clone()) {
                    break Value::by_pattern(written, name.clone(), regex::escape(&name));
                }
            },
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The throwaway project
// ---------------------------------------------------------------------------------------------

const DEPARTMENTS: [(&str, &str, &[&str]); 4] = [
    (
        "客服部",
        "customer-service",
        &["服务态度", "物业费争议", "投诉处理慢"],
    ),
    (
        "工程部",
        "engineering",
        &["电梯故障", "漏水渗水", "门禁故障"],
    ),
    ("保洁部", "cleaning", &["垃圾清运不及时", "公共区域卫生"]),
    ("秩序维护部", "security", &["停车管理", "安全巡逻"]),
];
const SITES: [&str; 3] = ["翠湖花园", "锦绣华庭", "阳光新城"];
const VISIT_HEADER: &str = "回访日期,责任部门,项目,回访类型,回访方式,回访结果,满意度,问题类别,投诉等级,整改状态,整改期限,完成日期,整改后回访满意度,客户意见";
/// Complaint comments kept per department and month are at most 5 (src/metrics/partial.rs
/// COMMENTS_KEPT); planting 3 per department and month leaves every one of them published.
const COMMENTS_PER_DEPT_MONTH: usize = 3;
/// At most 50 texts are listed per survey question (src/survey/metrics.rs TEXTS_SHOWN).
const WJX_RESPONSES: usize = 60;
const WJX_TEXTS: usize = 48;
const WJX_FILL_INS: usize = 40;
const TENCENT_RESPONSES: usize = 40;
const TENCENT_FILL_INS: usize = 30;
const EVIL_CATEGORY: &str = "[领取补偿](https://evil.example)";
/// Commentary quoting the top category: (report, title, marker); the first is the home page.
const COMMENTARY: [(&str, &str, &str); 3] = [
    ("", "", "评述标记HOME"),
    ("2026-06", "六月评述", "评述标记JUNE"),
    ("2026", "年度评述", "评述标记YEAR"),
];
const NAME_QUESTION: &str = "服务监督员编号或姓名";
const PHONE_QUESTION: &str = "您的联系电话";

/// Dates, amounts, record ids, counts and percentages in comments, each in a context that
/// must reach the page unchanged.
const KEPT_AS_IS: [(&str, &str); 7] = [
    ("对账日期 2026-03-05 已核实", "2026-03-05"),
    ("预约日期 20260305 上门", "20260305"),
    ("多收费用 ¥1,280.00 已退", "¥1,280.00"),
    ("关联工单 HF-2026-000123 已关闭", "HF-2026-000123"),
    ("本月共3次上门", "共3次"),
    ("整改后满意度 85.5% 以上", "85.5%"),
    ("约定 14:30 到场", "14:30"),
];

const TOPICS: [&str; 10] = [
    "楼道灯不亮",
    "电梯异响",
    "垃圾未及时清运",
    "车库积水",
    "门禁卡失灵",
    "绿化带杂草多",
    "账单金额有误",
    "夜间巡逻不到位",
    "外墙渗水",
    "停车位被占",
];
const CLOSINGS: [&str; 5] = [
    "请尽快处理",
    "希望早日解决",
    "已登记待处理",
    "维修人员已上门",
    "已转相关部门",
];

/// Words that may stand before a value of a kind (empty: the value alone).
fn leads(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Mobile => &["请回电", "业主手机", "联系电话：", "", "电话 "],
        Kind::Landline => &["座机", "办公电话：", "家里电话 ", ""],
        Kind::IdCard => &["身份证号", "身份证：", "证件号码 ", ""],
        Kind::Email => &["邮箱", "请发邮件至 ", "E-mail: ", ""],
        Kind::BankCard => &["退款请打到卡号", "银行卡：", "工行卡 ", ""],
        Kind::Plate => &["车牌", "车辆 ", "业主车牌号：", ""],
        Kind::Address => &["住", "地址：", "业主家在", ""],
        Kind::Name => &["", "业主", "来电人"],
        Kind::Qq | Kind::WeChat | Kind::Passport => &["", "留了", "业主"],
    }
}

fn csv_cell(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

fn csv_row(cells: &[&str]) -> String {
    cells
        .iter()
        .map(|c| csv_cell(c))
        .collect::<Vec<_>>()
        .join(",")
}

struct Corpus {
    planted: Vec<Planted>,
    /// Every input file written: path relative to the project, bytes.
    files: Vec<(String, Vec<u8>)>,
}

fn next_kind(i: usize) -> Kind {
    KINDS[i % KINDS.len()]
}

fn corpus() -> Corpus {
    let mut g = Gen::new();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();

    // 1. Visit comments on complaint rows: 12 months × 4 departments × 3 comments.
    let mut visits = vec![VISIT_HEADER.to_owned()];
    let mut n = 0usize;
    for month in 1..=12u32 {
        for (d, (dept, _, categories)) in DEPARTMENTS.iter().enumerate() {
            for slot in 0..COMMENTS_PER_DEPT_MONTH {
                let kind = next_kind(n);
                let marker = format!("样本标记C{:03}", n + 1);
                let lead = g.rng.pick(leads(kind)).to_string();
                let topic = g.rng.pick(&TOPICS).to_string();
                let closing = g.rng.pick(&CLOSINGS).to_string();
                let value = g.plant(kind, Via::VisitComment, Some(marker.clone()));
                let kept = KEPT_AS_IS.get(n).map(|(text, _)| format!("，{text}"));
                let kept = kept.unwrap_or_default();
                let comment = format!("〔{marker}〕{topic}，{lead}{value}，{closing}{kept}。");
                let day = 1 + d as u32 * 7 + slot as u32 * 2;
                let date = format!("2026-{month:02}-{day:02}");
                let closed = format!("2026-{month:02}-{:02}", day + 1);
                let category = categories[(n / 4) % categories.len()];
                visits.push(csv_row(&[
                    &date,
                    dept,
                    SITES[(n + slot) % SITES.len()],
                    "投诉回访",
                    "电话",
                    "成功",
                    "不满意",
                    category,
                    "轻微",
                    "已整改",
                    "",
                    &closed,
                    "满意",
                    &comment,
                ]));
                n += 1;
            }
            // A visit without a complaint, for the satisfaction numbers.
            visits.push(csv_row(&[
                &format!("2026-{month:02}-{:02}", 2 + d as u32 * 7),
                dept,
                SITES[d % SITES.len()],
                "定期走访",
                "上门",
                "成功",
                "非常满意",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ]));
        }
        // 5. The markdown-link category, the month's top category in June and December.
        if month == 6 || month == 12 {
            for i in 0..20u32 {
                visits.push(csv_row(&[
                    &format!("2026-{month:02}-{:02}", 1 + i),
                    "客服部",
                    SITES[i as usize % SITES.len()],
                    "投诉回访",
                    "电话",
                    "成功",
                    "一般",
                    EVIL_CATEGORY,
                    "轻微",
                    "处理中",
                    "",
                    "",
                    "",
                    "",
                ]));
            }
        }
    }
    files.push((
        "visits/visits-2026.csv".into(),
        (visits.join("\n") + "\n").into_bytes(),
    ));

    // 4. Faulty cells quoted by warnings and rejections: 4 files of 9 problems each (the build
    // prints the first ten per file; the data-quality page lists them all).
    let mut w = 0usize;
    for file in 0..4u32 {
        let mut rows = vec![VISIT_HEADER.to_owned()];
        let mut cell = |g: &mut Gen| -> String {
            let kind = next_kind(w);
            let marker = format!("样本标记W{:03}", w + 1);
            let value = g.plant(kind, Via::WarningCell, Some(marker.clone()));
            w += 1;
            // The marker after the value and apart from it: no digits run into the value's.
            let cell = format!("{value}（{marker}）");
            assert!(cell.chars().count() <= 40, "quoted whole: {cell}");
            cell
        };
        let month = 2 + file;
        let dept = DEPARTMENTS[file as usize].0;
        let category = DEPARTMENTS[file as usize].2[0];
        // A complaint row with six faulty optional cells.
        let cells: Vec<String> = (0..6).map(|_| cell(&mut g)).collect();
        rows.push(csv_row(&[
            &format!("2026-{month:02}-27"),
            dept,
            SITES[0],
            "投诉回访",
            "电话",
            "成功",
            &cells[0],
            category,
            &cells[1],
            &cells[2],
            &cells[3],
            &cells[4],
            &cells[5],
            "",
        ]));
        // Two visits whose satisfaction is faulty.
        for _ in 0..2 {
            let bad = cell(&mut g);
            rows.push(csv_row(&[
                &format!("2026-{month:02}-28"),
                dept,
                SITES[1],
                "定期走访",
                "电话",
                "成功",
                &bad,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ]));
        }
        // A row rejected for its date.
        let bad_date = cell(&mut g);
        rows.push(csv_row(&[
            &bad_date,
            dept,
            SITES[2],
            "定期走访",
            "电话",
            "成功",
            "满意",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ]));
        files.push((
            format!("visits/warn-{}.csv", file + 1),
            (rows.join("\n") + "\n").into_bytes(),
        ));
    }

    // 2 and 3. 问卷星 text download: UTF-8 with BOM, CRLF.
    let names: Vec<String> = (0..8)
        .map(|i| g.plant_spelling(Kind::Name, i, Via::SurveyChoice, None))
        .collect();
    let phones: Vec<String> = (0..8)
        .map(|i| {
            if i < 5 {
                g.plant_spelling(Kind::Mobile, [0, 2, 4, 9, 11][i], Via::SurveyChoice, None)
            } else {
                g.plant_spelling(Kind::Landline, [0, 1, 3][i - 5], Via::SurveyChoice, None)
            }
        })
        .collect();
    let mut wjx = vec![format!(
        "序号,提交答卷时间,所用时间,来源,来源详情,来自IP,1、您居住的小区,2、您对物业服务的总体满意度,3、您认为物业最需要改进的方面,4、{NAME_QUESTION},5、{PHONE_QUESTION},6、您的其他意见和建议"
    )];
    let (mut t, mut f) = (0usize, 0usize);
    for i in 0..WJX_RESPONSES {
        let improve = if i < WJX_FILL_INS {
            let kind = next_kind(f);
            let marker = format!("样本标记F{:03}", f + 1);
            let lead = g.rng.pick(leads(kind)).to_string();
            let value = g.plant(kind, Via::SurveyOther, Some(marker.clone()));
            f += 1;
            format!("保洁卫生┋其他〖{lead}{value}（{marker}）〗")
        } else {
            ["安全巡逻┋绿化养护", "停车管理", "保洁卫生┋维修及时性"][i % 3].to_owned()
        };
        let text = if i < WJX_TEXTS {
            let kind = next_kind(t + 3);
            let marker = format!("样本标记T{:03}", t + 1);
            let lead = g.rng.pick(leads(kind)).to_string();
            let topic = g.rng.pick(&TOPICS).to_string();
            let value = g.plant(kind, Via::SurveyText, Some(marker.clone()));
            t += 1;
            format!("〔{marker}〕{topic}，{lead}{value}")
        } else {
            "(空)".to_owned()
        };
        wjx.push(csv_row(&[
            &(i + 1).to_string(),
            &format!(
                "2026/5/{} {}:{:02}:00",
                6 + i % 20,
                9 + i % 10,
                (i * 7) % 60
            ),
            &format!("{}分{}秒", 1 + i % 5, 10 + i % 40),
            ["微信", "手机提交", "链接"][i % 3],
            "直接访问",
            &format!("112.{}.{}.{}(浙江-杭州)", 10 + i, 20 + i % 7, 30 + i),
            SITES[i % SITES.len()],
            ["非常满意", "满意", "一般", "满意"][i % 4],
            &improve,
            &names[i % names.len()],
            &phones[(i / 2) % phones.len()],
            &text,
        ]));
    }
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend((wjx.join("\r\n") + "\r\n").into_bytes());
    files.push(("surveys/wjx-owner.csv".into(), bom));

    // 2. 腾讯问卷: GB18030, CRLF, a trailing comma; 其他 typed into its option column.
    let mut tencent = vec!["编号,开始答题时间,结束答题时间,答题时长,IP,1.您所在的小区,2.您对本次维修服务的满意程度,3.您希望改进的方面:保洁卫生,3.您希望改进的方面:维修及时性,3.您希望改进的方面:其他,4.您的建议,".to_owned()];
    for i in 0..TENCENT_RESPONSES {
        let other = if i < TENCENT_FILL_INS {
            let kind = next_kind(f);
            let marker = format!("样本标记F{:03}", f + 1);
            let lead = g.rng.pick(leads(kind)).to_string();
            let value = g.plant(kind, Via::SurveyOther, Some(marker.clone()));
            f += 1;
            format!("{lead}{value}（{marker}）")
        } else {
            String::new()
        };
        let kind = next_kind(t + 5);
        let marker = format!("样本标记T{:03}", t + 1);
        let lead = g.rng.pick(leads(kind)).to_string();
        let topic = g.rng.pick(&TOPICS).to_string();
        let value = g.plant(kind, Via::SurveyText, Some(marker.clone()));
        t += 1;
        let text = format!("〔{marker}〕{topic}，{lead}{value}");
        let start = format!("2026-08-{:02} {:02}:00:00", 3 + i % 20, 9 + i % 10);
        let end = format!("2026-08-{:02} {:02}:02:{:02}", 3 + i % 20, 9 + i % 10, i);
        let mut row = csv_row(&[
            &(1_000_001 + i).to_string(),
            &start,
            &end,
            &format!("2分{i}秒"),
            &format!("36.{}.{}.{}", 50 + i, 60 + i % 9, 70 + i),
            SITES[i % SITES.len()],
            ["满意", "非常满意", "一般"][i % 3],
            if i % 2 == 0 { "保洁卫生" } else { "" },
            if i % 3 == 0 { "维修及时性" } else { "" },
            &other,
            &text,
        ]);
        row.push(',');
        tencent.push(row);
    }
    let tencent = tencent.join("\r\n") + "\r\n";
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(&tencent);
    assert!(!unmappable);
    files.push(("surveys/tencent-repair.csv".into(), gb.into_owned()));

    // 5. Commentary quoting the top category, on the home page and two reports.
    files.push((
        "content/_index.md".into(),
        format!(
            "本站数据为隐私验收而生成。最近一个月投诉最多的类别：{{{{ metric(name=\"top_category\") }}}}（{}）。\n",
            COMMENTARY[0].2
        )
        .into_bytes(),
    ));
    for (id, title, marker) in COMMENTARY.iter().skip(1) {
        files.push((
            format!("content/reports/{id}.md"),
            format!(
                "+++\ntitle = \"{title}\"\n+++\n本期投诉最多的是{{{{ metric(name=\"top_category\") }}}}（{marker}）。\n"
            )
            .into_bytes(),
        ));
    }

    let mut config = String::from(
        "title = \"隐私验收\"\nas_of = 2026-12-31\noutput_dir = \"public\"\nsnapshots_dir = \"snapshots\"\n\n\
         [[sources]]\npath = \"visits\"\n\n",
    );
    config.push_str(
        "[[surveys]]\nname = \"隐私验收业主调查\"\nslug = \"owner\"\nfiles = [\"surveys/wjx-owner.csv\"]\n\
         issued = 100\ngroup_by = \"1\"\n[surveys.validity]\nmin_seconds = 30\nduplicate_key = \"respondent\"\n\n\
         [[surveys]]\nname = \"隐私验收维修问卷\"\nslug = \"repair\"\nfiles = [\"surveys/tencent-repair.csv\"]\n\
         issued = 80\ngroup_by = \"1\"\n\n",
    );
    for (name, slug, _) in DEPARTMENTS {
        writeln!(
            config,
            "[[departments]]\nname = \"{name}\"\nslug = \"{slug}\"\n"
        )
        .unwrap();
    }
    files.push(("huifang.toml".into(), config.into_bytes()));

    Corpus {
        planted: g.planted,
        files,
    }
}

// ---------------------------------------------------------------------------------------------
// Reading the output back, independently
// ---------------------------------------------------------------------------------------------

fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "yen" => '¥',
        "commat" => '@',
        "period" => '.',
        "hyphen" | "dash" => '-',
        "colon" => ':',
        "sol" => '/',
        "lpar" => '(',
        "rpar" => ')',
        "middot" => '·',
        "zwsp" => '\u{200b}',
        _ => return None,
    })
}

/// HTML character references decoded, `&amp;#64;` included (up to three rounds).
fn decode_entities(text: &str) -> String {
    let entity = Regex::new(r"&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z]{2,8});?").unwrap();
    let mut text = text.to_owned();
    for _ in 0..3 {
        let decoded = entity
            .replace_all(&text, |c: &regex::Captures| {
                let body = &c[1];
                let ch = if let Some(hex) = body.strip_prefix("#x").or(body.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                } else if let Some(dec) = body.strip_prefix('#') {
                    dec.parse().ok().and_then(char::from_u32)
                } else {
                    named_entity(body)
                };
                ch.map_or_else(|| c[0].to_owned(), String::from)
            })
            .into_owned();
        if decoded == text {
            break;
        }
        text = decoded;
    }
    text
}

/// Escapes as JSON (`\u00e9`) and Rust's `{:?}`/huifang's messages (`\u{200b}`) write them.
fn decode_escapes(text: &str) -> String {
    let escape = Regex::new(r"\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})").unwrap();
    escape
        .replace_all(text, |c: &regex::Captures| {
            let hex = c.get(1).or(c.get(2)).unwrap().as_str();
            u32::from_str_radix(hex, 16)
                .ok()
                .and_then(char::from_u32)
                .map_or_else(|| c[0].to_owned(), String::from)
        })
        .into_owned()
}

fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{00ad}' | '\u{180e}')
}

/// What a reader sees: entities and escapes decoded, zero-width characters dropped,
/// full-width ASCII (U+FF01–U+FF5E) and the ideographic space mapped to ASCII.
fn normalise(text: &str) -> String {
    normalise_decoded(&decode_entities(text))
}

/// [`normalise`] of a text whose entities are decoded.
fn normalise_decoded(decoded: &str) -> String {
    decode_escapes(decoded)
        .chars()
        .filter(|&c| !is_zero_width(c))
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xFEE0).unwrap(),
            '\u{3000}' | '\u{a0}' => ' ',
            c => c,
        })
        .collect()
}

/// Every number in `text` written with separators (`138 1234-5678`, `(021)6234…`, `+86-…`),
/// as its digits alone, joined by `|`: where the digit kinds are looked for.
///
/// Hex digests (SHA-256 of inputs and archives) are left out: they change with every build
/// time, and their digit runs are noise no personal number hides in.
fn digit_runs(text: &str) -> String {
    let digest = Regex::new(r"[0-9a-fA-F]{32,}").unwrap();
    let text = digest.replace_all(text, |c: &regex::Captures| {
        if c[0].bytes().all(|b| b.is_ascii_digit()) {
            c[0].to_owned()
        } else {
            " ".to_owned()
        }
    });
    let number = Regex::new(&format!("[0-9](?:{NUMBER_SEP}{{0,3}}[0-9])*")).unwrap();
    let mut out = String::new();
    for m in number.find_iter(&text) {
        let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 5 {
            out.push_str(&digits);
            out.push('|');
        }
    }
    out
}

struct Scanned {
    /// Where it came from, for the report.
    name: String,
    /// Entity-decoded only: for the "left as it is" checks.
    decoded: String,
    text: Written,
    /// A page a reader opens (HTML), as opposed to data files, snapshots and terminal output.
    page: bool,
}

fn scanned(name: String, bytes: &[u8], page: bool) -> Scanned {
    let text = String::from_utf8_lossy(bytes);
    let decoded = decode_entities(&text);
    let text = Written::of_normalised(normalise_decoded(&decoded));
    Scanned {
        name,
        decoded,
        text,
        page,
    }
}

fn is_html(name: &str) -> bool {
    name.ends_with(".html") || name.ends_with(".htm")
}

fn terminal(o: &Output) -> Vec<u8> {
    let mut all = o.stdout.clone();
    all.extend_from_slice(&o.stderr);
    all
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}

/// A few characters either side of `at` in `text`, on one line.
fn context(text: &str, start: usize, end: usize) -> String {
    let from = text[..start]
        .char_indices()
        .rev()
        .nth(24)
        .map_or(0, |(i, _)| i);
    let to = text[end..]
        .char_indices()
        .nth(24)
        .map_or(text.len(), |(i, _)| end + i);
    text[from..to].replace(['\n', '\r'], " ")
}

// ---------------------------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------------------------

#[test]
fn planted_personal_values_appear_nowhere_in_what_a_build_writes() {
    let corpus = corpus();
    let planted = &corpus.planted;

    let index = Index::new(planted);
    let found_in = |w: &Written| index.found_in(planted, w);

    // The corpus itself: big enough, every kind in every free-text path, and detectors that
    // find each value as written and nothing in the text around the values.
    assert!(
        planted.len() >= 300,
        "{} values planted, not 300",
        planted.len()
    );
    for via in [
        Via::VisitComment,
        Via::SurveyText,
        Via::SurveyOther,
        Via::WarningCell,
    ] {
        for kind in KINDS {
            let spellings: BTreeSet<usize> = planted
                .iter()
                .filter(|p| p.via == via && p.kind == kind)
                .map(|p| p.spelling)
                .collect();
            assert!(
                spellings.len() >= 2.min(Gen::spellings(kind)),
                "{} in {}: spellings {spellings:?}",
                kind.label(),
                via.label()
            );
        }
    }
    for kind in KINDS {
        let spellings: BTreeSet<usize> = planted
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.spelling)
            .collect();
        assert_eq!(
            spellings.len(),
            Gen::spellings(kind),
            "every spelling of {} is planted",
            kind.label()
        );
    }
    for (i, p) in planted.iter().enumerate() {
        let hits = found_in(&Written::of(&p.written));
        assert_eq!(
            hits,
            BTreeSet::from([i]),
            "the detector of {} `{}` finds it, and only it",
            p.kind.label(),
            p.written
        );
    }
    // The inputs with every planted value cut out: what the detectors find there, they would
    // find in the output without any leak.
    let mut by_length: Vec<&str> = planted.iter().map(|p| p.written.as_str()).collect();
    by_length.sort_by_key(|w| std::cmp::Reverse(w.len()));
    for (path, bytes) in &corpus.files {
        let mut text = if path.contains("tencent") {
            encoding_rs::GB18030.decode(bytes).0.into_owned()
        } else {
            String::from_utf8(bytes.clone()).unwrap()
        };
        for w in &by_length {
            text = text.replace(w, "※");
        }
        let stray = found_in(&Written::of(&text));
        assert!(
            stray.is_empty(),
            "{path}: detectors fire on the text around the values: {:?}",
            stray
                .iter()
                .map(|&i| &planted[i].written)
                .collect::<Vec<_>>()
        );
    }

    // The project, built and archived.
    // HUIFANG_PRIVACY_KEEP=1 keeps the project, site and archives to look at.
    let tmp = tempfile::tempdir().unwrap();
    let root = if std::env::var_os("HUIFANG_PRIVACY_KEEP").is_some() {
        let kept = tmp.keep();
        eprintln!("privacy test project kept in {}", kept.display());
        kept
    } else {
        tmp.path().to_owned()
    };
    let project = root.join("project");
    for (path, bytes) in &corpus.files {
        let to = project.join(path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(&to, bytes).unwrap();
    }
    let exports = root.join("exports");
    std::fs::create_dir_all(&exports).unwrap();
    let build = huifang(&project, &["build"]);
    assert!(
        build.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&build.stderr)
    );
    let one = exports.join("2026-06.html");
    let archive_one = huifang(
        &project,
        &["archive", "2026-06", "-o", one.to_str().unwrap()],
    );
    assert!(
        archive_one.status.success(),
        "archive 2026-06 failed: {}",
        String::from_utf8_lossy(&archive_one.stderr)
    );
    let all = exports.join("all.tar.gz");
    let archive_all = huifang(&project, &["archive", "--all", "-o", all.to_str().unwrap()]);
    assert!(
        archive_all.status.success(),
        "archive --all failed: {}",
        String::from_utf8_lossy(&archive_all.stderr)
    );

    // Everything written: (name, bytes).
    let site = project.join("public");
    let snapshots = project.join("snapshots");
    assert!(site.join("index.html").is_file(), "the site is built");
    assert!(
        files_under(&snapshots).len() >= 17,
        "every report has a version"
    );
    // Every file in the project but the inputs: the site, the snapshots, and whatever else
    // huifang leaves there (its lock, a cache).
    let inputs: BTreeSet<PathBuf> = corpus.files.iter().map(|(p, _)| project.join(p)).collect();
    let mut written: Vec<(String, Vec<u8>)> = Vec::new();
    for file in files_under(&project) {
        if !inputs.contains(&file) {
            let name = file.strip_prefix(&project).unwrap().display().to_string();
            written.push((name, std::fs::read(&file).unwrap()));
        }
    }
    assert!(
        written
            .iter()
            .any(|(name, _)| name.starts_with("snapshots"))
    );
    written.push(("archive 2026-06.html".into(), std::fs::read(&one).unwrap()));
    let entries = tar_entries(&all);
    assert!(
        entries.len() >= 17,
        "the tar holds every report: {}",
        entries.len()
    );
    written.extend(entries);
    written.push(("terminal: huifang build".into(), terminal(&build)));
    written.push((
        "terminal: huifang archive 2026-06".into(),
        terminal(&archive_one),
    ));
    written.push((
        "terminal: huifang archive --all".into(),
        terminal(&archive_all),
    ));
    let docs: Vec<Scanned> = written
        .iter()
        .map(|(name, bytes)| {
            let page = is_html(name) && name.starts_with("public");
            scanned(name.clone(), bytes, page)
        })
        .collect();

    let mut problems: Vec<String> = Vec::new();

    // Leaks.
    let mut leaks: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for doc in &docs {
        for i in found_in(&doc.text) {
            let shown = planted[i].detector.locate(&doc.text);
            leaks
                .entry(i)
                .or_default()
                .push(format!("{}: …{shown}…", doc.name));
        }
    }

    // Markers: every planted comment, text and fill-in is on a page; every faulty cell on the
    // data-quality page and in the build's terminal output.
    let pages: String = docs
        .iter()
        .filter(|d| d.page)
        .map(|d| d.text.normalised.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let quality = docs
        .iter()
        .find(|d| d.name.ends_with("data-quality/index.html"))
        .expect("a data-quality page");
    let build_terminal = &docs
        .iter()
        .find(|d| d.name == "terminal: huifang build")
        .unwrap()
        .text
        .normalised;
    let marker = Regex::new(r"样本标记[CTFW][0-9]{3}").unwrap();
    let markers_in = |text: &str| -> BTreeSet<String> {
        marker
            .find_iter(text)
            .map(|m| m.as_str().to_owned())
            .collect()
    };
    let on_pages = markers_in(&pages);
    let on_quality_page = markers_in(&quality.text.normalised);
    let in_terminal = markers_in(build_terminal);
    let mut unpublished: Vec<String> = Vec::new();
    for p in planted {
        let Some(marker) = &p.marker else { continue };
        let mut missing = Vec::new();
        if p.via == Via::WarningCell {
            if !on_quality_page.contains(marker) {
                missing.push("the data-quality page");
            }
            if !in_terminal.contains(marker) {
                missing.push("the build's terminal output");
            }
        } else if !on_pages.contains(marker) {
            missing.push("any page");
        }
        if !missing.is_empty() {
            unpublished.push(format!(
                "  {marker} ({}, {}) not in {}",
                p.via.label(),
                p.kind.label(),
                missing.join(" nor ")
            ));
        }
    }
    if !unpublished.is_empty() {
        problems.push(format!(
            "{} control markers are not published, so their values were not really tested:\n{}",
            unpublished.len(),
            unpublished.join("\n")
        ));
    }

    // Name and phone questions: listed, their answers never.
    let owner = docs
        .iter()
        .find(|d| d.name.ends_with("surveys/owner/index.html"))
        .expect("the owner survey's page");
    for question in [NAME_QUESTION, PHONE_QUESTION] {
        if !owner.text.normalised.contains(question) {
            problems.push(format!(
                "the question `{question}` is not on surveys/owner/index.html"
            ));
        }
    }

    // Dates, amounts, ids, counts and percentages in comments are left as they are.
    let decoded_pages: String = docs
        .iter()
        .filter(|d| d.page)
        .map(|d| d.decoded.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for (text, value) in KEPT_AS_IS {
        if !decoded_pages.contains(text) {
            let near = decoded_pages.find(value).map(|at| {
                format!(
                    " (`{value}` is there: …{}…)",
                    context(&decoded_pages, at, at + value.len())
                )
            });
            problems.push(format!(
                "false positive: `{value}` is not left as it is; `{text}` is on no page{}",
                near.unwrap_or_default()
            ));
        }
    }

    // A category holding a markdown link, quoted by commentary, never becomes a link.
    if !pages.contains("领取补偿") {
        problems.push("the markdown-link category is on no page".into());
    }
    for (id, _, marker) in COMMENTARY {
        let page = if id.is_empty() {
            "public/index.html".to_owned()
        } else {
            format!("public/reports/{id}/index.html")
        };
        let shown = docs
            .iter()
            .any(|d| d.name == page && d.text.normalised.contains(marker));
        if !shown {
            problems.push(format!("the commentary `{marker}` is not on {page}"));
        }
    }
    let linkish = Selector::parse("*").unwrap();
    for ((name, bytes), doc) in written.iter().zip(&docs) {
        // An attribute linking there holds the host's name, its entities decoded or not.
        if !(is_html(name) || name.ends_with(".svg")) || !doc.decoded.contains("evil.example") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
        for el in doc.select(&linkish) {
            for (attr, value) in el.value().attrs() {
                let link_attr = matches!(
                    attr.to_ascii_lowercase().as_str(),
                    "href"
                        | "xlink:href"
                        | "src"
                        | "srcset"
                        | "action"
                        | "formaction"
                        | "data"
                        | "poster"
                        | "cite"
                        | "background"
                        | "ping"
                );
                if link_attr && value.contains("evil.example") {
                    problems.push(format!(
                        "{name}: <{} {attr}=\"{value}\"> links out of the category cell",
                        el.value().name()
                    ));
                }
            }
        }
    }

    // The report.
    let mut tally = String::new();
    let count = |f: &dyn Fn(&Planted) -> bool| planted.iter().filter(|p| f(p)).count();
    writeln!(tally, "leaked/planted per kind:").unwrap();
    for kind in KINDS {
        let all = count(&|p| p.kind == kind);
        let leaked = leaks.keys().filter(|&&i| planted[i].kind == kind).count();
        writeln!(tally, "  {:<10} {leaked:>3}/{all}", kind.label()).unwrap();
    }
    writeln!(tally, "leaked/planted per path:").unwrap();
    for via in VIAS {
        let all = count(&|p| p.via == via);
        let leaked = leaks.keys().filter(|&&i| planted[i].via == via).count();
        writeln!(tally, "  {:<26} {leaked:>3}/{all}", via.label()).unwrap();
    }
    writeln!(
        tally,
        "  {:<26} {:>3}/{}",
        "total",
        leaks.len(),
        planted.len()
    )
    .unwrap();
    eprintln!("{tally}");

    if !leaks.is_empty() {
        let mut list = String::new();
        for (&i, places) in &leaks {
            let p = &planted[i];
            writeln!(
                list,
                "  [{}] `{}` ({}{}) leaked into {} file(s):",
                p.kind.label(),
                p.written.replace('\u{200b}', "\\u{200b}"),
                p.via.label(),
                p.marker
                    .as_ref()
                    .map(|m| format!(", {m}"))
                    .unwrap_or_default(),
                places.len()
            )
            .unwrap();
            for place in places.iter().take(3) {
                writeln!(list, "      {place}").unwrap();
            }
            if places.len() > 3 {
                writeln!(list, "      … and {} more", places.len() - 3).unwrap();
            }
        }
        problems.insert(
            0,
            format!(
                "{} of {} planted personal values leaked:\n{list}",
                leaks.len(),
                planted.len()
            ),
        );
    }
    assert!(problems.is_empty(), "\n{}\n{tally}", problems.join("\n\n"));
}

fn tar_entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(
        std::fs::File::open(path).unwrap(),
    ));
    tar.entries()
        .unwrap()
        .map(|entry| {
            let mut entry = entry.unwrap();
            let name = format!("all.tar.gz:{}", entry.path().unwrap().display());
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (name, bytes)
        })
        .collect()
}

/// The scanner itself: what a page may do to a value (entities, escapes, widths, separators)
/// does not hide it.
#[test]
fn the_scanner_sees_through_entities_escapes_widths_and_separators() {
    assert_eq!(
        normalise("zhang.san&#64;example&#x2E;com &amp;#64; &lt;b&gt;"),
        "zhang.san@example.com @ <b>"
    );
    assert_eq!(normalise("138\u{200b}1234\\u200b5678"), "13812345678");
    assert_eq!(
        normalise("１３８\u{3000}１２３４＠ｂ．ｃｏｍ"),
        "138 1234@b.com"
    );
    assert_eq!(normalise("粤B&middot;12345"), "粤B·12345");
    let digits = |text: &str| Written::of(text).digits;
    assert_eq!(digits("请回电+86 (138) 1234-5678。"), "8613812345678|");
    assert_eq!(digits("2026-03-05 与 14:30"), "20260305|");
    assert_eq!(
        digits("sha256:9d28599b9707597122b2d0deb08aefb22d352c4daf161fb1aa0b1c2d3e4f5a6b"),
        ""
    );
}
