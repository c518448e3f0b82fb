//! Satisfaction surveys (满意度调查): exports read as the survey tools write them, and the
//! numbers reported for every question.

pub mod metrics;
pub mod read;

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

/// Reads every campaign and computes its report, in configuration order, with the warnings
/// met while reading.
pub fn reports(
    project: &Project,
) -> Result<Vec<(metrics::SurveyReport, Vec<String>)>, SurveyError> {
    let mut out = Vec::new();
    for campaign in &project.config.surveys {
        let mut exports = Vec::new();
        let mut warnings = Vec::new();
        for (path, name) in campaign_files(project, campaign)? {
            let export =
                read::read_export(&path, campaign.encoding, campaign.format, &campaign.kinds)
                    .map_err(|source| SurveyError::Read {
                        campaign: campaign.name.clone(),
                        file: name.clone(),
                        source,
                    })?;
            warnings.extend(export.warnings.iter().map(|w| format!("{name}: {w}")));
            let mut export = export;
            order_by_scale(&mut export, &project.config.satisfaction.levels);
            exports.push(export);
        }
        let slug = campaign.slug.as_ref().map_or_else(
            || crate::slug::derive("survey", &campaign.name),
            |s| s.0.clone(),
        );
        out.push((metrics::report(campaign, slug, &exports), warnings));
    }
    Ok(out)
}

/// Puts the options of a question answered on the satisfaction scale (非常满意 … 非常不满意)
/// in scale order, as a reader expects, instead of the order they first appeared in.
fn order_by_scale(export: &mut read::SurveyExport, levels: &[crate::config::LevelDef]) {
    let rank = |label: &str| {
        levels
            .iter()
            .position(|l| l.label == label || l.aliases.iter().any(|a| a == label))
    };
    for (q, question) in export.questions.iter_mut().enumerate() {
        let ranks: Option<Vec<usize>> = question.options.iter().map(|o| rank(o)).collect();
        let Some(ranks) = ranks.filter(|r| !r.is_empty()) else {
            continue;
        };
        let mut order: Vec<usize> = (0..question.options.len()).collect();
        order.sort_by_key(|&i| ranks[i]);
        // new_index[old] = position of old in the new order
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        question.options = order.iter().map(|&i| question.options[i].clone()).collect();
        for response in &mut export.responses {
            match response.answers.get_mut(q) {
                Some(read::Answer::Choice(i)) => *i = new_index.get(*i).copied().unwrap_or(*i),
                Some(read::Answer::Choices(list)) | Some(read::Answer::Ranking(list)) => {
                    for i in list.iter_mut() {
                        *i = new_index.get(*i).copied().unwrap_or(*i);
                    }
                }
                _ => {}
            }
        }
    }
}
