//! 问卷星 number download (按序号下载): single choices as 1-based option indexes (their texts
//! are not in the file, so the options are `"1"`, `"2"`, …), multiple choices as one 0/1 column
//! per option named `4、(选项)` or `4(选项)`, -3 for skipped and -2 for empty.

use super::column_plan::ColumnPlan;
use super::grid::Grid;

pub fn layout(table: &Grid) -> Result<ColumnPlan, String> {
    super::wjx::layout(table, true)
}
