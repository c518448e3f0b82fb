//! Satisfaction surveys (满意度调查): exports read as the survey tools write them, and the
//! numbers reported for every question.

pub mod labels;
pub mod metrics;
pub mod read;
pub mod scale_order;

use crate::config::Project;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SurveyError {
    #[error("survey `{campaign}`: {message}")]
    Files { campaign: String, message: String },
    #[error("survey `{campaign}`: {file}: {source}")]
    Read {
        campaign: String,
        file: String,
        source: read::SurveyReadError,
    },
}

/// A campaign's export files, with the name messages use for each.
fn campaign_files(
    project: &Project,
    campaign: &crate::config::SurveyCampaign,
) -> Result<Vec<(PathBuf, String)>, SurveyError> {
    let mut files = Vec::new();
    for pattern in &campaign.files {
        let found =
            crate::ingest::sources::files_matching(pattern, &project.root).map_err(|e| {
                SurveyError::Files {
                    campaign: campaign.name.clone(),
                    message: e.to_string(),
                }
            })?;
        files.extend(found.into_iter().map(|path| {
            let name = crate::ingest::display_path(&path, &project.root);
            (path, name)
        }));
    }
    Ok(files)
}

/// Every export file of every campaign (for the build's fingerprint).
pub fn input_files(project: &Project) -> Result<Vec<(PathBuf, String)>, SurveyError> {
    let mut files = Vec::new();
    for campaign in &project.config.surveys {
        files.extend(campaign_files(project, campaign)?);
    }
    Ok(files)
}

/// One survey answer that rates a department on the satisfaction scale (a campaign's
/// `satisfaction` feed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rating {
    pub date: chrono::NaiveDate,
    pub department: String,
    pub level: crate::model::LevelId,
}

/// What the surveys give a build: each campaign's report, what reading each export found,
/// and the ratings fed to department satisfaction.
pub struct Surveys {
    pub reports: Vec<metrics::SurveyReport>,
    pub files: Vec<SurveyFile>,
    pub ratings: Vec<Rating>,
}

/// One export read.
#[derive(Debug)]
pub struct SurveyFile {
    /// Rows read, accepted, rejected, warnings (see [`read::SurveyExport::summary_line`]).
    pub summary: String,
    /// Rows skipped and cells not understood, each with its place.
    pub warnings: Vec<String>,
}

/// Reads every campaign and computes its report, in configuration order, with the warnings
/// met while reading.
pub fn reports(project: &Project) -> Result<Surveys, SurveyError> {
    let vocabulary = crate::ingest::vocabulary::Vocabulary::new(&project.config);
    let mut ratings = Vec::new();
    let mut out = Vec::new();
    let mut files = Vec::new();
    for campaign in &project.config.surveys {
        let mut exports = Vec::new();
        for (path, name) in campaign_files(project, campaign)? {
            let mut export = read::read_export_sheet(
                &path,
                campaign.sheet.as_deref(),
                campaign.encoding,
                campaign.format,
                &campaign.kinds,
            )
            .map_err(|source| SurveyError::Read {
                campaign: campaign.name.clone(),
                file: name.clone(),
                source,
            })?;
            // Codes become their texts before the options are put in scale order.
            let label_warnings = labels::apply(&mut export, &campaign.labels);
            export.warnings.extend(label_warnings);
            let place = export.place(&name);
            files.push(SurveyFile {
                summary: export.summary_line(&name),
                warnings: export
                    .warnings
                    .iter()
                    .map(|w| format!("{place}: {w}"))
                    .collect(),
            });
            scale_order::order_options(&mut export, &project.config.satisfaction.levels);
            exports.push(export);
        }
        let slug = campaign.slug.as_ref().map_or_else(
            || crate::slug::derive("survey", &campaign.name),
            |s| s.0.clone(),
        );
        if let Some(feed) = &campaign.satisfaction {
            ratings.extend(feed_ratings(campaign, feed, &exports, &vocabulary));
        }
        out.push(metrics::report(campaign, slug, &exports));
    }
    Ok(Surveys {
        reports: out,
        files,
        ratings,
    })
}

/// The valid answers of the fed question that match a satisfaction level, dated and with
/// their department. Answers without a date or a department are left out.
fn feed_ratings(
    campaign: &crate::config::SurveyCampaign,
    feed: &crate::config::SatisfactionFeed,
    exports: &[read::SurveyExport],
    vocabulary: &crate::ingest::vocabulary::Vocabulary,
) -> Vec<Rating> {
    let mut ratings = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut invalid = metrics::Invalid::default();
    for export in exports {
        let position = |n: &str| export.questions.iter().position(|q| q.number == n);
        let Some(q) = position(&feed.question) else {
            continue;
        };
        let label = |q: usize, r: &read::Response| -> Option<String> {
            match r.answers.get(q)? {
                read::Answer::Choice(i) => export.questions[q].options.get(*i).cloned(),
                read::Answer::Number(n) => Some(n.to_string()),
                read::Answer::Text(t) => Some(t.clone()),
                _ => None,
            }
        };
        for r in metrics::valid_responses(export, &campaign.validity, &mut invalid, &mut seen) {
            let department = match (&feed.department, &feed.department_question) {
                (Some(d), _) => Some(d.clone()),
                (None, Some(dq)) => position(dq).and_then(|dq| label(dq, r)),
                (None, None) => None,
            };
            let level = label(q, r).and_then(|l| vocabulary.satisfaction(&l));
            if let (Some(date), Some(department), Some(level)) =
                (r.submitted.map(|d| d.date()), department, level)
            {
                ratings.push(Rating {
                    date,
                    department: vocabulary.department(&department).to_owned(),
                    level,
                });
            }
        }
    }
    ratings
}
