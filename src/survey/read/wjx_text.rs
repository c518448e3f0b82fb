//! 问卷星 text download (按文本下载): answers as option texts, `┋` between the options of a
//! multiple choice, `其他〖…〗` for a fill-in, `A→B→C` for a ranking, `(跳过)` and `(空)` for
//! questions not answered, matrix rows as `5(行标题)` columns.

use super::column_plan::ColumnPlan;
use super::grid::Grid;

pub fn layout(table: &Grid) -> Result<ColumnPlan, String> {
    super::wjx::layout(table, false)
}
