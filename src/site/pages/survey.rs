//! One page per survey campaign: the headline counts, then every question with its chart,
//! its table and a sentence saying what was chosen most and least, as seed 000's analysis
//! report writes it; cross-tabs by the grouping question; written answers, masked.

use super::{Page, SiteData};
use crate::charts::{self, ChartText, Series};
use crate::config::LevelDef;
use crate::site::urls;
use crate::site::view::{Cell, Figure, Kpi, Table};
use crate::survey::metrics::{QuestionMetrics, SurveyReport};
use crate::survey::read::QuestionKind;
use serde::Serialize;

#[derive(Serialize)]
struct QuestionView {
    heading: String,
    summary: Option<String>,
    figure: Option<Figure>,
    crosstab: Option<Figure>,
    texts: Vec<String>,
    more_texts: Option<String>,
}

pub fn page(data: &SiteData<'_>, survey: &SurveyReport) -> Page {
    let path = urls::survey(&survey.slug);
    let (t, f) = (data.t, data.fmt);
    let mut c = data.base_context(&path, &survey.name);
    let kpi = |metric: &'static str, key: &str, text: String, value: String| Kpi {
        metric,
        label: t.get(key).to_owned(),
        text,
        value,
        detail: None,
        basis: None,
        trends: Vec::new(),
        target: None,
        warn: None,
    };
    let mut kpis = Vec::new();
    if let Some(issued) = survey.issued {
        kpis.push(kpi("issued", "issued", f.int(issued), issued.to_string()));
    }
    kpis.push(kpi(
        "responses",
        "responses_received",
        f.int(survey.responses),
        survey.responses.to_string(),
    ));
    let mut valid = kpi(
        "valid",
        "valid_responses",
        f.int(survey.valid),
        survey.valid.to_string(),
    );
    let i = &survey.invalid;
    valid.detail = Some(t.fill(
        "invalid_detail",
        &[
            ("blank", &i.blank.to_string()),
            ("too_fast", &i.too_fast.to_string()),
            ("incomplete", &i.incomplete.to_string()),
            ("duplicate", &i.duplicate.to_string()),
        ],
    ));
    kpis.push(valid);
    if survey.issued.is_some() {
        let value = survey
            .response_rate
            .map_or_else(String::new, |r| r.to_string());
        kpis.push(kpi(
            "response_rate",
            "response_rate",
            f.percent(survey.response_rate),
            value,
        ));
    }
    let questions: Vec<QuestionView> = survey
        .questions
        .iter()
        .enumerate()
        .map(|(n, q)| question(data, survey, n, q))
        .collect();
    let dates = match (survey.first_submitted, survey.last_submitted) {
        (Some(a), Some(b)) => Some(format!("{} – {}", f.date(a), f.date(b))),
        _ => None,
    };
    c.insert("survey", survey);
    c.insert("kpis", &kpis);
    c.insert("dates", &dates);
    c.insert("questions", &questions);
    Page {
        path,
        template: "survey.html",
        context: c,
    }
}

fn question(
    data: &SiteData<'_>,
    survey: &SurveyReport,
    n: usize,
    q: &QuestionMetrics,
) -> QuestionView {
    let (t, f) = (data.t, data.fmt);
    let heading = format!("{}. {}", q.number, q.text);
    // The item with the best (lowest) mean place.
    let best_ranked = q
        .ranks
        .iter()
        .filter_map(|r| Some((r, r.mean_rank?)))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    let ranking_summary = match (&q.most_chosen, best_ranked) {
        (Some(most), Some((best, mean))) if q.answered > 0 => Some(t.fill(
            "ranking_summary",
            &[
                ("most", &most.label),
                ("share", &f.percent(most.share)),
                ("best", &best.label),
                ("mean", &f.decimal(Some(mean), 2)),
            ],
        )),
        _ => None,
    };
    let summary = match (&q.most_chosen, &q.least_chosen) {
        _ if q.personal => Some(t.with_n("personal_answers", q.answered)),
        _ if ranking_summary.is_some() => ranking_summary,
        (Some(most), Some(least)) if q.answered > 0 => {
            let mut s = t.fill(
                "most_least",
                &[
                    ("most", &most.label),
                    ("share", &f.percent(most.share)),
                    ("least", &least.label),
                ],
            );
            if let Some(mean) = q.mean {
                s.push_str(&format!(" {} {}", t.get("mean"), f.decimal(Some(mean), 2)));
            }
            Some(s)
        }
        _ => None,
    };
    let id = format!("q{}", n + 1);
    let figure = (!q.options.is_empty() && q.answered > 0).then(|| {
        let labels: Vec<String> = q.options.iter().map(|o| o.label.clone()).collect();
        let counts: Vec<u64> = q.options.iter().map(|o| o.count).collect();
        let text = ChartText {
            id: &id,
            title: &heading,
            desc: t.get("answered"),
            empty_label: t.get("no_data"),
        };
        // A ranking counts first places, and adds each item's mean place.
        let ranking = !q.ranks.is_empty();
        let mut rows: Vec<Vec<Cell>> = q
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let mut row = vec![
                    Cell::text(o.label.clone()),
                    Cell::num(f.int(o.count)),
                    Cell::num(f.percent(o.share)),
                ];
                if ranking {
                    let mean = q.ranks.get(i).and_then(|r| r.mean_rank);
                    row.push(Cell::num(f.decimal(mean, 2)));
                }
                row
            })
            .collect();
        let mut total = vec![
            Cell::text(t.get("answered")).with_class("total"),
            Cell::num(f.int(q.answered)),
            Cell::num(String::new()),
        ];
        if ranking {
            total.push(Cell::num(String::new()));
        }
        rows.push(total);
        let head: &[&str] = if ranking {
            &["option", "first_places", "share", "mean_rank"]
        } else {
            &["option", "count", "share"]
        };
        // Answers that are the levels in the reports' colours (see level_segments); ratings keep
        // their rising order, and other answers one colour.
        let per_option: Vec<Vec<u64>> = counts.iter().map(|&c| vec![c]).collect();
        let levels = &data.project.config.satisfaction.levels;
        let svg = match level_segments(q, &per_option, levels) {
            Some((bars, satisfied)) if !ranking && q.kind != QuestionKind::Rating => {
                let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
                let counts: Vec<u64> = bars
                    .iter()
                    .map(|b| b.values.first().copied().flatten().unwrap_or(0.0) as u64)
                    .collect();
                charts::level_histogram(&text, &labels, &counts, &satisfied)
            }
            _ => charts::histogram(&text, &labels, &counts),
        };
        Figure {
            label: None,
            id: id.clone(),
            title: heading.clone(),
            svg,
            table: Table {
                label: None,
                caption: None,
                head: head.iter().map(|k| t.get(k).to_owned()).collect(),
                rows,
            },
        }
    });
    let crosstab = q
        .crosstab
        .as_ref()
        .filter(|x| x.answered.iter().any(|&a| a > 0))
        .map(|x| {
            let group = survey.group_by.clone().unwrap_or_default();
            let title = format!("{} · {}", heading, t.fill("crosstab", &[("group", &group)]));
            let xid = format!("{id}-by");
            let segments: Vec<Series> = q
                .options
                .iter()
                .enumerate()
                .map(|(oi, o)| Series {
                    label: o.label.clone(),
                    values: x.counts[oi].iter().map(|&c| Some(c as f64)).collect(),
                })
                .collect();
            let text = ChartText {
                id: &xid,
                title: &title,
                desc: t.get("answered"),
                empty_label: t.get("no_data"),
            };
            let levels = &data.project.config.satisfaction.levels;
            let svg = match level_segments(q, &x.counts, levels) {
                Some((levels, satisfied)) => {
                    charts::level_share_bars(&text, &x.groups, &levels, &satisfied)
                }
                None => charts::stacked_share_bars(&text, &x.groups, &segments),
            };
            let mut head = vec![t.get("option").to_owned()];
            head.extend(x.groups.iter().cloned());
            let mut rows: Vec<Vec<Cell>> = q
                .options
                .iter()
                .enumerate()
                .map(|(oi, o)| {
                    let mut row = vec![Cell::text(o.label.clone())];
                    row.extend(x.counts[oi].iter().zip(&x.answered).map(|(&c, &a)| {
                        let share = (a > 0).then(|| c as f64 / a as f64);
                        Cell::num(format!("{} ({})", f.int(c), f.percent(share)))
                    }));
                    row
                })
                .collect();
            let mut total = vec![Cell::text(t.get("answered")).with_class("total")];
            total.extend(x.answered.iter().map(|&a| Cell::num(f.int(a))));
            rows.push(total);
            Figure {
                label: None,
                id: xid.clone(),
                title,
                svg,
                table: Table {
                    label: None,
                    caption: None,
                    head,
                    rows,
                },
            }
        });
    let more_texts = (q.texts_total > q.texts.len() as u64)
        .then(|| t.with_n("more_texts", q.texts_total - q.texts.len() as u64));
    QuestionView {
        heading,
        summary,
        figure,
        crosstab,
        texts: q.texts.clone(),
        more_texts,
    }
}

/// The cross-tab of an ordinal question (`counts[option][group]`) as satisfaction-level
/// segments, best first, with whether each counts as satisfied, so its chart takes the reports'
/// level colours; `None` for a categorical question, which keeps distinct colours.
///
/// Options that are the project's levels, by label or alias or, for a rating, by score (5 … 1
/// of the default scale), become every level of the scale, those nobody chose with no
/// counts, so a level keeps its colour whichever answers a survey got. Other ratings run from
/// their highest score down (their options rise), the upper half counting as satisfied.
fn level_segments(
    q: &QuestionMetrics,
    counts: &[Vec<u64>],
    levels: &[LevelDef],
) -> Option<(Vec<Series>, Vec<bool>)> {
    let rating = q.kind == QuestionKind::Rating;
    let groups = counts.first().map_or(0, Vec::len);
    let series = |label: String, option: Option<usize>| Series {
        label,
        values: (0..groups)
            .map(|g| {
                Some(
                    option
                        .and_then(|o| counts.get(o)?.get(g))
                        .copied()
                        .unwrap_or(0) as f64,
                )
            })
            .collect(),
    };
    let level_of = |label: &str| {
        levels.iter().position(|l| {
            l.label == label
                || l.aliases.iter().any(|a| a == label)
                || (rating && label.trim().parse::<f64>().ok() == Some(l.score))
        })
    };
    let places: Option<Vec<usize>> = q.options.iter().map(|o| level_of(&o.label)).collect();
    let distinct = |p: &Vec<usize>| {
        let mut sorted = p.clone();
        sorted.sort_unstable();
        sorted.dedup();
        !p.is_empty() && sorted.len() == p.len()
    };
    if let Some(places) = places.filter(distinct) {
        let segments = levels
            .iter()
            .enumerate()
            .map(|(place, level)| {
                let option = places.iter().position(|&p| p == place);
                let label = match option {
                    Some(o) => q.options[o].label.clone(),
                    None if rating => level.score.to_string(),
                    None => level.label.clone(),
                };
                series(label, option)
            })
            .collect();
        return Some((segments, levels.iter().map(|l| l.satisfied).collect()));
    }
    if !rating {
        return None;
    }
    let n = q.options.len();
    let segments = (0..n)
        .rev()
        .map(|o| series(q.options[o].label.clone(), Some(o)))
        .collect();
    Some((segments, (0..n).map(|i| i < n / 2).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SatisfactionScale;
    use crate::survey::metrics::OptionCount;

    fn question(kind: QuestionKind, options: &[&str]) -> QuestionMetrics {
        QuestionMetrics {
            number: "1".to_owned(),
            text: "q".to_owned(),
            kind,
            answered: 0,
            options: options
                .iter()
                .map(|l| OptionCount {
                    label: (*l).to_owned(),
                    count: 0,
                    share: None,
                })
                .collect(),
            mean: None,
            most_chosen: None,
            least_chosen: None,
            crosstab: None,
            ranks: Vec::new(),
            texts: Vec::new(),
            texts_total: 0,
            personal: false,
        }
    }

    fn labels(segments: &[Series]) -> Vec<&str> {
        segments.iter().map(|s| s.label.as_str()).collect()
    }

    /// 非常满意 … 非常不满意, the first two satisfied.
    const FIVE: [bool; 5] = [true, true, false, false, false];

    #[test]
    fn level_answers_take_every_level_of_the_scale_in_its_order() {
        let levels = SatisfactionScale::default().levels;
        // Nobody answered 非常不满意; two groups.
        let q = question(
            QuestionKind::Single,
            &["非常满意", "满意", "一般", "不满意"],
        );
        let counts = vec![vec![3, 1], vec![5, 2], vec![1, 0], vec![0, 4]];
        let (segments, satisfied) = level_segments(&q, &counts, &levels).expect("ordinal");
        assert_eq!(
            labels(&segments),
            ["非常满意", "满意", "一般", "不满意", "非常不满意"]
        );
        assert_eq!(satisfied, FIVE);
        assert_eq!(segments[3].values, [Some(0.0), Some(4.0)]);
        assert_eq!(segments[4].values, [Some(0.0), Some(0.0)]);
    }

    #[test]
    fn a_rating_of_the_level_scores_runs_best_first() {
        let levels = SatisfactionScale::default().levels;
        // Scores 2 to 5 given (options rise); 1 nobody gave.
        let q = question(QuestionKind::Rating, &["2", "3", "4", "5"]);
        let counts = vec![vec![1], vec![2], vec![3], vec![4]];
        let (segments, satisfied) = level_segments(&q, &counts, &levels).expect("rating");
        assert_eq!(labels(&segments), ["5", "4", "3", "2", "1"]);
        assert_eq!(satisfied, FIVE);
        assert_eq!(segments[0].values, [Some(4.0)]);
        assert_eq!(segments[4].values, [Some(0.0)]);
    }

    #[test]
    fn another_rating_counts_its_upper_half_as_satisfied_and_choices_stay_categorical() {
        let levels = SatisfactionScale::default().levels;
        let q = question(QuestionKind::Rating, &["0", "6", "8", "9", "10"]);
        let counts = vec![vec![1]; 5];
        let (segments, satisfied) = level_segments(&q, &counts, &levels).expect("rating");
        assert_eq!(labels(&segments), ["10", "9", "8", "6", "0"]);
        assert_eq!(satisfied, [true, true, false, false, false]);

        let q = question(QuestionKind::Single, &["翠湖花园", "阳光新城"]);
        assert!(level_segments(&q, &[vec![1], vec![2]], &levels).is_none());
    }
}
