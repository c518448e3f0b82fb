//! Deterministic sample data: property-management (物业) follow-up visit logs (回访记录).
//!
//! [`write_sample`] writes one CSV file per calendar year of the requested range, each in the
//! "flavour" of a different source system, so that the whole ingest path (header synonyms, date
//! styles, encodings, BOM, CRLF, quoting, Excel serial dates, bad values) is exercised by
//! realistic data:
//!
//! * flavour A, Excel 客服台账: GB18030, CRLF, `2024/3/5 14:07`, trailing empty column;
//! * flavour B, CRM 导出: UTF-8 with BOM, LF, `2025-03-05 14:07:00`, some satisfaction digits;
//! * flavour C, 移动端导出: UTF-8, LF, `2026年3月5日`, noisy headers, some Excel serial dates.
//!
//! The output depends only on the options: the generator uses its own PRNG (xoshiro256**
//! seeded by SplitMix64) and integer arithmetic, so the same options give the same bytes on
//! every platform and with every version of the dependencies. Rows are generated and written
//! one at a time (only one day's times are held in memory).

use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

mod workbook;

/// What [`write_sample`] generates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SampleOptions {
    /// Total data rows across all files.
    pub rows: u64,
    /// PRNG seed; the same options always give the same bytes.
    pub seed: u64,
    /// First visit date (inclusive).
    pub start: NaiveDate,
    /// Last visit date (inclusive); also the "as of" date that decides which complaints are
    /// still open. No closing date is ever after it.
    pub end: NaiveDate,
    /// Number of departments used (the first K of the built-in list), 1..=8.
    pub departments: usize,
    /// Number of sites (estates) used (the first K of the built-in list), 1..=20.
    pub sites: usize,
    /// Encoding of the files.
    pub encoding: SampleEncoding,
}

/// Encoding of the generated files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleEncoding {
    /// Each file in its source system's own encoding: flavour A GB18030, flavour B UTF-8 with
    /// BOM, flavour C UTF-8 without BOM.
    Native,
    /// Every file UTF-8 without BOM (headers, date styles and line ends stay per flavour).
    Utf8,
    /// Every file GB18030 (headers, date styles and line ends stay per flavour).
    Gb18030,
}

impl Default for SampleOptions {
    fn default() -> Self {
        SampleOptions {
            rows: 6000,
            seed: 2024,
            start: NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date"),
            end: NaiveDate::from_ymd_opt(2026, 11, 20).expect("valid date"),
            departments: DEPARTMENTS.len(),
            sites: SITES.len(),
            encoding: SampleEncoding::Native,
        }
    }
}

/// Writes the files into `out_dir` (created if missing) and returns their paths in order.
///
/// One file per calendar year from `start` to `end`, named `visits-<year>.csv`, even when a
/// year receives no rows (then it holds only the header). Existing files of the same name are
/// overwritten.
pub fn write_sample(opts: &SampleOptions, out_dir: &Path) -> io::Result<Vec<PathBuf>> {
    validate(opts)?;
    fs::create_dir_all(out_dir)?;

    let start = opts.start.num_days_from_ce();
    let end = opts.end.num_days_from_ce();
    let days = u128::from((end - start + 1) as u32);
    let rows = u128::from(opts.rows);
    let first_year = opts.start.year();

    let mut rng = Rng::new(opts.seed);
    let mut generator = Generator {
        opts,
        end,
        comment_scratch: String::new(),
    };
    let mut row = Row::default();
    let mut fields = Fields::default();
    let mut times: Vec<u32> = Vec::new();
    let mut paths = Vec::new();
    let mut file: Option<YearFile> = None;

    for d in 0..days {
        let day = start + d as i32;
        let date = date_from_days(day);
        let year = date.year();
        if file.as_ref().map(|f| f.year) != Some(year) {
            if let Some(f) = file.take() {
                f.finish()?;
            }
            let flavour = Flavour::for_year(year, first_year);
            let path = out_dir.join(format!("visits-{year}.csv"));
            file = Some(YearFile::create(&path, year, flavour, opts.encoding)?);
            paths.push(path);
        }
        let f = file.as_mut().expect("file opened above");

        // Rows i with floor(i * days / rows) == d are those in [ceil(d*rows/days), ceil((d+1)*rows/days)).
        let lo = (d * rows).div_ceil(days);
        let hi = ((d + 1) * rows).div_ceil(days);
        let count = (hi - lo) as usize;

        times.clear();
        times.extend((0..count).map(|_| DAY_START_SECS + rng.below(DAY_SPAN_SECS) as u32));
        times.sort_unstable();

        let mut day_seq = 0u32;
        for &secs in &times {
            generator.generate(&mut rng, day, date, secs, &mut row);
            day_seq += 1 + u32::from(row.id_gap);
            f.seq += 1;
            fields.fill(f.flavour, &row, f.seq, day_seq, date);
            f.write_fields(&fields)?;
        }
    }
    if let Some(f) = file.take() {
        f.finish()?;
    }
    Ok(paths)
}

/// As [`write_sample`], but each year's file an Excel workbook (`visits-<year>.xlsx`, sheet
/// `<year>年`, a title row above the header, dates as date cells); see [`workbook`]. Workbooks
/// hold text, not bytes: every file is made from its UTF-8 flavour.
pub fn write_sample_workbooks(opts: &SampleOptions, out_dir: &Path) -> io::Result<Vec<PathBuf>> {
    let utf8 = SampleOptions {
        encoding: SampleEncoding::Utf8,
        ..opts.clone()
    };
    let years = opts.start.year()..;
    years
        .zip(write_sample(&utf8, out_dir)?)
        .map(|(year, csv)| workbook::from_csv(&csv, year))
        .collect()
}

fn validate(opts: &SampleOptions) -> io::Result<()> {
    let invalid = |msg: String| Err(io::Error::new(io::ErrorKind::InvalidInput, msg));
    if opts.start > opts.end {
        return invalid(format!(
            "sample: start {} is after end {}",
            opts.start, opts.end
        ));
    }
    if !(1..=DEPARTMENTS.len()).contains(&opts.departments) {
        return invalid(format!(
            "sample: departments must be 1..={}, got {}",
            DEPARTMENTS.len(),
            opts.departments
        ));
    }
    if !(1..=SITES.len()).contains(&opts.sites) {
        return invalid(format!(
            "sample: sites must be 1..={}, got {}",
            SITES.len(),
            opts.sites
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// PRNG: xoshiro256** seeded with SplitMix64. Fixed here so the output never depends on a crate.

struct Rng {
    s: [u64; 4],
}

impl Rng {
    fn new(seed: u64) -> Self {
        let mut sm = seed ^ 0x6875_6966_616e_6721; // "huifang!"
        let mut next = || {
            sm = sm.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = sm;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform-enough integer in `0..n` (multiply-shift; `n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// True with probability `per_mille` / 1000.
    fn chance(&mut self, per_mille: u32) -> bool {
        self.below(1000) < u64::from(per_mille)
    }

    /// Index chosen with the given integer weights (at least one weight > 0).
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut r = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if r < u64::from(w) {
                return i;
            }
            r -= u64::from(w);
        }
        weights.len() - 1
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary.

const DEPARTMENTS: [&str; 8] = [
    "客服部",
    "工程部",
    "保洁部",
    "秩序维护部",
    "绿化部",
    "车辆管理部",
    "收费中心",
    "社区文化部",
];
/// Share of visits per department.
const DEPT_WEIGHT: [u32; 8] = [20, 25, 15, 12, 8, 8, 7, 5];

const SITES: [&str; 20] = [
    "翠湖花园",
    "锦绣华庭",
    "阳光新城",
    "金色家园",
    "滨江一号",
    "御景湾",
    "碧水云庭",
    "紫荆苑",
    "枫林雅居",
    "世纪花城",
    "香樟园",
    "桂语江南",
    "和谐家园",
    "书香门第",
    "星河湾畔",
    "丽水佳园",
    "凤凰城",
    "西湖春晓",
    "海棠湾",
    "锦江名邸",
];
/// Relative size of each estate (visits are proportional to it).
const SITE_WEIGHT: [u32; 20] = [
    16, 14, 22, 12, 9, 10, 8, 11, 7, 18, 6, 9, 13, 5, 10, 7, 15, 6, 8, 5,
];

const STAFF: [&str; 12] = [
    "李娜",
    "王芳",
    "张敏",
    "刘洋",
    "陈静",
    "杨丽",
    "赵磊",
    "黄婷",
    "周杰",
    "吴倩",
    "徐晓燕",
    "孙丽华",
];

const VISIT_TYPES: [&str; 7] = [
    "定期走访",
    "专项走访",
    "投诉回访",
    "维修回访",
    "有偿服务回访",
    "安装回访",
    "巡检回访",
];
/// Visit-type weights per department (same order as `VISIT_TYPES`).
const VISIT_TYPE_WEIGHT: [[u32; 7]; 8] = [
    [40, 15, 20, 5, 5, 5, 10],   // 客服部
    [15, 10, 15, 35, 10, 10, 5], // 工程部
    [30, 15, 20, 0, 15, 0, 20],  // 保洁部
    [30, 15, 20, 0, 0, 5, 30],   // 秩序维护部
    [30, 20, 15, 0, 10, 5, 20],  // 绿化部
    [30, 15, 25, 0, 0, 15, 15],  // 车辆管理部
    [45, 20, 20, 0, 5, 5, 5],    // 收费中心
    [50, 35, 10, 0, 0, 0, 5],    // 社区文化部
];
/// Per-mille chance that a contacted visit of this type raises a complaint, for a department
/// of average quality (scaled by the department's current quality).
const COMPLAINT_BASE: [u32; 7] = [70, 90, 600, 300, 110, 120, 90];

const CHANNELS: [&str; 5] = ["电话", "上门", "巡视", "短信", "微信"];
const CHANNEL_WEIGHT_DEFAULT: [u32; 5] = [62, 14, 6, 7, 11];
const CHANNEL_WEIGHT_REGULAR: [u32; 5] = [50, 35, 4, 3, 8]; // 定期走访
const CHANNEL_WEIGHT_INSPECTION: [u32; 5] = [20, 10, 65, 2, 3]; // 巡检回访

const CONTACT_RESULTS: [&str; 5] = ["成功", "已回访", "未接通", "不方便/改约", "拒访"];
const CONTACT_WEIGHT_REMOTE: [u32; 5] = [590, 235, 100, 43, 32];
const CONTACT_WEIGHT_IN_PERSON: [u32; 5] = [510, 405, 35, 32, 18];

/// Satisfaction levels, best first; index 0 = 非常满意 (digit 5) … 4 = 非常不满意 (digit 1).
const LEVELS: [&str; 5] = ["非常满意", "满意", "一般", "不满意", "非常不满意"];
const LEVEL_DIGITS: [&str; 5] = ["5", "4", "3", "2", "1"];

const SEVERITIES: [&str; 3] = ["轻微", "重要", "重大"];
const SEVERITY_WEIGHT: [u32; 3] = [600, 300, 100];
const SEVERITY_WEIGHT_SERIOUS: [u32; 3] = [450, 380, 170]; // 电梯故障, 漏水渗水
/// Rectification SLA in days (seed 003): 轻微 2, 重要 3, 重大 10.
const SLA_DAYS: [i32; 3] = [2, 3, 10];

const STATUSES: [&str; 5] = ["待处理", "处理中", "已整改", "已验证", "暂不能解决"];
const ST_PENDING: usize = 0;
const ST_IN_PROGRESS: usize = 1;
const ST_RECTIFIED: usize = 2;
const ST_VERIFIED: usize = 3;
const ST_UNSOLVABLE: usize = 4;

/// Complaint categories per department, most frequent first (Pareto-like weights below).
const CATEGORIES: [&[&str]; 8] = [
    &["服务态度", "回复不及时"],
    &[
        "电梯故障",
        "漏水渗水",
        "水电维修",
        "门禁故障",
        "公共设施损坏",
    ],
    &["垃圾清运不及时", "公共区域卫生", "楼道异味"],
    &["噪音扰民", "外来人员管理", "安全巡逻"],
    &["绿化养护", "蚊虫消杀"],
    &["停车管理", "车辆乱停"],
    &["收费疑问", "发票开具"],
    &["活动组织"],
];
const PARETO: [&[u32]; 6] = [
    &[],
    &[100],
    &[68, 32],
    &[55, 30, 15],
    &[47, 26, 15, 8],
    &[42, 25, 16, 11, 6],
];

/// Base share (per mille) of the top two levels per department, in January 2024.
const QUALITY_BASE: [i32; 8] = [925, 790, 905, 905, 915, 875, 895, 945];
/// Drift in tenths of a per mille per month since January 2024 (工程部 improves steadily).
const QUALITY_TREND: [i32; 8] = [4, 35, -4, 0, 2, 8, 0, 0];
/// Seasonal change per calendar month (January first).
const QUALITY_SEASON: [[i32; 12]; 8] = [
    [-10, -5, 0, 0, 0, 0, 0, 0, 0, 0, 0, -5], // 客服部: 物业费催缴季
    [-15, -10, 0, 0, 0, -20, -40, -30, 0, 0, 0, -15], // 工程部: 雨季渗漏, 冬季水管
    [0, -20, 0, 0, -10, -50, -100, -100, -50, 0, 0, 0], // 保洁部: 夏季垃圾异味
    [-40, -60, 0, 0, 0, 0, -15, -10, 0, -10, 0, 0], // 秩序维护部: 春节烟花, 外来人员
    [0, 0, 0, 0, 0, -30, -50, -50, -20, 0, 0, 0], // 绿化部: 夏季蚊虫
    [-30, -40, 0, 0, 0, 0, 0, 0, 0, -20, 0, -10], // 车辆管理部: 春节, 国庆
    [-40, 0, -20, 0, 0, 0, 0, 0, 0, 0, 0, -30], // 收费中心: 账单季
    [0, 10, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0],   // 社区文化部
];

const SURNAMES: [&str; 20] = [
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗",
];

/// What a customer says about a complaint category. `{栋}`, `{梯}`, `{室}` are filled in.
fn category_comments(category: &str) -> &'static [&'static str] {
    match category {
        "电梯故障" => &[
            "电梯{梯}经常停运,希望尽快维修",
            "{栋}电梯按键失灵,老人上下楼很不方便",
            "电梯运行有异响,担心安全问题",
            "{栋}电梯困人,救援等了半个多小时",
        ],
        "漏水渗水" => &[
            "{栋}{室}卫生间顶部渗水,楼上业主不配合检查",
            "地下车库顶板漏水,车被淋了",
            "外墙渗水导致卧室墙皮脱落",
            "雨后阳台积水严重,要求排查原因",
        ],
        "水电维修" => &[
            "厨房水管漏水,维修师傅当天上门处理了",
            "{栋}楼道灯坏了一个多星期没人修",
            "家里跳闸,报修后等了很久",
            "水压太小,高层用水困难",
        ],
        "门禁故障" => &[
            "{栋}单元门禁刷卡没反应",
            "门禁对讲机听不清楚",
            "人脸识别经常识别不了,进门要等很久",
        ],
        "公共设施损坏" => &[
            "小区健身器材损坏,存在安全隐患",
            "儿童游乐设施松动,希望尽快维修",
            "{栋}楼道窗户玻璃破损",
        ],
        "垃圾清运不及时" => &[
            "垃圾桶满了没人清理,气味很大",
            "装修垃圾堆在{栋}楼下好几天了",
            "周末垃圾清运不及时",
        ],
        "公共区域卫生" => &[
            "楼道地面有污渍,清扫不够彻底",
            "电梯轿厢卫生差",
            "地下车库灰尘很大",
        ],
        "楼道异味" => &["{栋}楼道有异味,怀疑下水道反味", "楼道里有人堆放杂物,有臭味"],
        "噪音扰民" => &[
            "楼上装修噪音太大,中午也不停",
            "晚上广场舞声音太大,影响休息",
            "{栋}楼下夜间有人喧哗",
        ],
        "外来人员管理" => &[
            "外卖快递员随意进出小区",
            "门岗对外来人员不登记",
            "小区里有人发小广告",
        ],
        "安全巡逻" => &[
            "晚上很少看到保安巡逻",
            "{栋}附近路灯不亮,晚上不安全",
            "监控有死角,希望加强巡查",
        ],
        "绿化养护" => &[
            "草坪很久没修剪了",
            "{栋}前的树枝挡住了窗户,希望修剪",
            "绿化带有枯死的苗木没有补种",
        ],
        "蚊虫消杀" => &[
            "蚊子太多,希望增加消杀次数",
            "绿化带有老鼠出没",
            "夏天蟑螂多,建议定期消杀",
        ],
        "停车管理" => &[
            "地下车位被别人占用",
            "临时停车收费不合理",
            "车库出入口道闸经常抬不起来",
        ],
        "车辆乱停" => &[
            "消防通道有车辆乱停",
            "电动车在楼道充电,存在安全隐患",
            "{栋}门口经常有车堵路",
        ],
        "服务态度" => &[
            "前台客服态度冷淡",
            "打电话报修,客服不耐烦",
            "管家说话不客气",
        ],
        "回复不及时" => &[
            "反映的问题一周了还没有回复",
            "物业APP上报修没人处理",
            "客服电话经常打不通",
        ],
        "收费疑问" => &[
            "物业费账单和去年不一样,要求解释",
            "公摊水电费偏高,要求公示明细",
            "车位管理费收费标准不清楚",
        ],
        "发票开具" => &["交了物业费还没拿到发票", "电子发票抬头开错了,需要重开"],
        "活动组织" => &[
            "社区活动通知太晚,没赶上",
            "希望多组织一些老年人活动",
            "活动场地太小,人太多",
        ],
        _ => &["已记录,转相关部门处理"],
    }
}

const PRAISE: [&[&str]; 8] = [
    &[
        "管家服务很贴心,有事都能及时处理",
        "前台小姑娘态度很好",
        "对物业服务总体满意",
    ],
    &[
        "维修师傅很及时,态度好",
        "上门维修很专业,收费合理",
        "报修后当天就修好了,很满意",
    ],
    &[
        "对保洁阿姨的服务很满意",
        "楼道打扫得很干净",
        "垃圾清运很及时",
    ],
    &[
        "保安很负责,晚上巡逻很认真",
        "门岗对外来人员登记很严格",
        "保安帮忙搬东西,很感谢",
    ],
    &["小区绿化越来越好了", "花草修剪得很整齐"],
    &["车库秩序比以前好多了", "停车引导很到位"],
    &["缴费很方便,可以线上支付", "收费员解释得很清楚"],
    &["中秋活动办得很好,孩子很喜欢", "希望多办这样的活动"],
];
const PRAISE_GENERIC: [&str; 3] = ["没有意见", "挺好的,继续保持", "感谢物业的辛苦付出"];

const GRIPES: [&[&str]; 8] = [
    &["有些问题反映了很多次", "服务一般,希望再主动一些"],
    &["维修质量一般,过几天又坏了", "维修师傅来得有点晚"],
    &["保洁不够细致,角落有垃圾", "夏天垃圾桶附近味道大"],
    &["保安有时候在岗位上玩手机", "夜间巡逻不够"],
    &["绿化一般,杂草有点多"],
    &["车位太紧张,晚上回来没地方停"],
    &["物业费涨了,服务没跟上"],
    &["活动宣传不够"],
];

const NOT_REACHED: [&[&str]; 3] = [
    &[
        "电话无人接听",
        "多次拨打无人接听,稍后再回访",
        "关机",
        "号码为空号,需核实业主联系方式",
    ],
    &[
        "业主在开会,约明天再回访",
        "业主在外地,约下周回访",
        "业主表示现在不方便,改约时间",
    ],
    &[
        "业主表示不需要回访",
        "业主拒绝接受回访",
        "业主情绪较大,拒绝沟通",
    ],
];

const QUOTES_UNHAPPY: [&str; 4] = [
    "再不处理就打12345",
    "你们物业到底管不管",
    "希望下次别再这样了",
    "说了好几次了",
];
const QUOTES_HAPPY: [&str; 3] = ["辛苦了,谢谢你们", "有你们在很放心", "继续加油"];

// ---------------------------------------------------------------------------------------------
// Row generation.

const DAY_START_SECS: u32 = 8 * 3600;
const DAY_SPAN_SECS: u64 = 12 * 3600; // 08:00:00 – 19:59:59

/// One generated visit, independent of the file flavour.
#[derive(Default)]
struct Row {
    secs: u32,
    dept: usize,
    site: usize,
    visit_type: usize,
    channel: usize,
    contact: usize,
    satisfaction: Option<usize>,
    category: Option<&'static str>,
    severity: Option<usize>,
    status: Option<usize>,
    due: Option<i32>,
    closed: Option<i32>,
    revisit: Option<usize>,
    comment: String,
    staff: usize,
    /// Flavour B writes this row's satisfaction as a digit.
    sat_digit: bool,
    /// Flavour C writes this row's visit date as an Excel serial number.
    excel_serial: bool,
    /// Flavour B's ticket numbers skip one here (a cancelled ticket).
    id_gap: bool,
}

struct Generator<'a> {
    opts: &'a SampleOptions,
    end: i32,
    comment_scratch: String,
}

impl Generator<'_> {
    /// Fills `row` for a visit on `day` at `secs` after midnight. Every row consumes the PRNG in
    /// the same way whatever flavour or encoding it is written in.
    fn generate(&mut self, rng: &mut Rng, day: i32, date: NaiveDate, secs: u32, row: &mut Row) {
        let month = date.month0() as usize;
        row.secs = secs;
        row.dept = rng.weighted(&DEPT_WEIGHT[..self.opts.departments]);
        row.site = rng.weighted(&SITE_WEIGHT[..self.opts.sites]);
        row.staff = if rng.chance(800) {
            row.site % STAFF.len()
        } else {
            rng.below(STAFF.len() as u64) as usize
        };
        row.visit_type = rng.weighted(&VISIT_TYPE_WEIGHT[row.dept]);
        row.channel = rng.weighted(match row.visit_type {
            0 => &CHANNEL_WEIGHT_REGULAR,
            6 => &CHANNEL_WEIGHT_INSPECTION,
            _ => &CHANNEL_WEIGHT_DEFAULT,
        });
        row.contact = rng.weighted(if matches!(row.channel, 1 | 2) {
            &CONTACT_WEIGHT_IN_PERSON
        } else {
            &CONTACT_WEIGHT_REMOTE
        });
        row.sat_digit = rng.chance(100);
        row.excel_serial = rng.chance(10);
        row.id_gap = rng.chance(80);

        row.satisfaction = None;
        row.category = None;
        row.severity = None;
        row.status = None;
        row.due = None;
        row.closed = None;
        row.revisit = None;
        row.comment.clear();

        let contacted = row.contact <= 1;
        let quality = quality(row.dept, date.year(), month);

        if contacted {
            // Complaints: more for 投诉回访/维修回访 and for departments doing worse right now.
            let p = COMPLAINT_BASE[row.visit_type] as i32 * (1000 - quality) / 140;
            if rng.chance(p.clamp(5, 900) as u32) {
                self.complaint(rng, day, month, row);
            }
            // An SMS or WeChat survey is often left unanswered.
            let unanswered = if matches!(row.channel, 3 | 4) {
                250
            } else {
                15
            };
            if !rng.chance(unanswered) {
                let q = if row.category.is_some() {
                    quality - 260
                } else {
                    quality
                };
                row.satisfaction = Some(satisfaction(rng, q));
            }
        }

        self.comment(rng, row, contacted);
    }

    fn complaint(&mut self, rng: &mut Rng, day: i32, month: usize, row: &mut Row) {
        let cats = CATEGORIES[row.dept];
        let mut weights = [0u32; 5];
        for (i, (w, &base)) in weights.iter_mut().zip(PARETO[cats.len()]).enumerate() {
            *w = base
                * match (cats[i], month) {
                    ("漏水渗水", 5..=7) => 25,
                    ("蚊虫消杀", 5..=8) => 40,
                    ("蚊虫消杀", _) => 5,
                    ("楼道异味", 5..=8) => 20,
                    ("噪音扰民", 0 | 1) => 20,
                    _ => 10,
                };
        }
        let category = cats[rng.weighted(&weights[..cats.len()])];
        row.category = Some(category);
        let severity = rng.weighted(if matches!(category, "电梯故障" | "漏水渗水") {
            &SEVERITY_WEIGHT_SERIOUS
        } else {
            &SEVERITY_WEIGHT
        });
        row.severity = Some(severity);

        // Deadline: an explicit due date on ~30% of complaints, else the SLA.
        let mut deadline = SLA_DAYS[severity];
        if rng.chance(300) {
            if rng.chance(300) {
                deadline = (deadline + [-1, 1, 2, 4][rng.below(4) as usize]).max(1);
            }
            row.due = Some(day + deadline);
        }

        let age = self.end - day;
        let fate = rng.below(1000);
        let late = rng.chance(150);
        let delay = if late {
            let mut extra = 1 + rng.below(5) as i32;
            if rng.chance(300) {
                extra += rng.below(25) as i32;
            }
            deadline + extra
        } else {
            rng.below(deadline as u64 + 1) as i32
        };
        let verified = rng.chance(550);
        let no_date = rng.chance(30);
        let revisit_asked = rng.chance(if verified { 950 } else { 600 });
        let revisit_weights: [u32; 5] = if late {
            [20, 40, 22, 13, 5]
        } else {
            [40, 45, 10, 4, 1]
        };
        let revisit = rng.weighted(&revisit_weights);
        let pending_early = rng.chance(600);

        let open_status = if age <= 1 && pending_early {
            ST_PENDING
        } else {
            ST_IN_PROGRESS
        };
        row.status = Some(if fate < 30 {
            // Cannot be solved for now (seed 000 §三.12); reported once it has been looked at.
            if age >= 3 { ST_UNSOLVABLE } else { open_status }
        } else if fate < 60 || day + delay > self.end {
            open_status
        } else {
            let closed = day + delay;
            let status = if verified && self.end - closed >= 7 {
                ST_VERIFIED
            } else {
                ST_RECTIFIED
            };
            if !no_date {
                row.closed = Some(closed);
            }
            if revisit_asked {
                row.revisit = Some(revisit);
            }
            status
        });
    }

    fn comment(&mut self, rng: &mut Rng, row: &mut Row, contacted: bool) {
        let happy = matches!(row.satisfaction, Some(0 | 1) | None) && row.category.is_none();
        let template = if !contacted {
            rng.chance(500)
                .then(|| rng.pick(NOT_REACHED[row.contact - 2]))
        } else if let Some(category) = row.category {
            rng.chance(800)
                .then(|| rng.pick(category_comments(category)))
        } else {
            match row.satisfaction {
                Some(0 | 1) | None => rng.chance(260).then(|| {
                    if rng.chance(250) {
                        rng.pick(&PRAISE_GENERIC)
                    } else {
                        rng.pick(PRAISE[row.dept])
                    }
                }),
                Some(_) => rng.chance(600).then(|| rng.pick(GRIPES[row.dept])),
            }
        };
        let Some(template) = template else {
            return;
        };
        let text = &mut self.comment_scratch;
        text.clear();
        render(rng, template, text);

        let out = &mut row.comment;
        // ~5% name the owner or leave a mobile number (personal data the report must mask).
        match rng.below(1000) {
            0..=24 => {
                let phone = phone(rng);
                match rng.below(3) {
                    0 => {
                        let _ = write!(out, "{text},请回电{phone}");
                    }
                    1 => {
                        let _ = write!(out, "业主留电话{phone},{text}");
                    }
                    _ => {
                        let _ = write!(out, "{text}(联系电话{phone})");
                    }
                }
            }
            25..=49 => {
                let surname = rng.pick(&SURNAMES);
                let title = rng.pick(&["先生", "女士", "阿姨"]);
                if rng.chance(500) {
                    let _ = write!(out, "{surname}{title}反映:{text}");
                } else {
                    render(rng, "{栋}{室}", out);
                    let _ = write!(out, "{surname}{title}:{text}");
                }
            }
            _ => out.push_str(text),
        }
        // A few hold a comma, double quotes and a line break, as typed into a multi-line cell.
        if rng.chance(8) && contacted {
            let dept = DEPARTMENTS[row.dept];
            if happy {
                let quote = rng.pick(&QUOTES_HAPPY);
                let _ = write!(out, ",业主原话:\"{quote}\"\n已向{dept}转达表扬");
            } else {
                let quote = rng.pick(&QUOTES_UNHAPPY);
                let _ = write!(out, ",业主原话:\"{quote}\"\n已转{dept}跟进");
            }
        }
    }
}

/// Share (per mille) of the top two satisfaction levels for a department in a month.
fn quality(dept: usize, year: i32, month0: usize) -> i32 {
    let months = (year - 2024) * 12 + month0 as i32;
    let q = QUALITY_BASE[dept] + QUALITY_TREND[dept] * months / 10 + QUALITY_SEASON[dept][month0];
    q.clamp(450, 975)
}

/// A satisfaction level index (0 = 非常满意) for a top-two share of `q` per mille.
fn satisfaction(rng: &mut Rng, q: i32) -> usize {
    let q = q.clamp(100, 985);
    let very = (q - 500).clamp(150, 450) as u64; // share of 非常满意 within the top two
    let r = rng.below(1000) as i32;
    if r < q {
        if rng.below(1000) < very { 0 } else { 1 }
    } else {
        2 + rng.weighted(&[55, 32, 13])
    }
}

/// Appends `template` to `out`, filling `{栋}` (building), `{梯}` (lift), `{室}` (flat).
fn render(rng: &mut Rng, template: &str, out: &mut String) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("closed placeholder");
        match &rest[open + 1..close] {
            "栋" => {
                let _ = write!(out, "{}栋", 1 + rng.below(28));
            }
            "梯" => {
                let _ = write!(out, "{}号梯", 1 + rng.below(6));
            }
            "室" => {
                let _ = write!(out, "{}{:02}", 1 + rng.below(32), 1 + rng.below(4));
            }
            other => out.push_str(other),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
}

/// A mainland mobile number, `1[3-9]` and nine digits.
fn phone(rng: &mut Rng) -> String {
    format!("1{}{:09}", 3 + rng.below(7), rng.below(1_000_000_000))
}

// ---------------------------------------------------------------------------------------------
// Flavours and output.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavour {
    /// Excel 客服台账.
    A,
    /// CRM 导出.
    B,
    /// 移动端导出.
    C,
}

impl Flavour {
    fn for_year(year: i32, first_year: i32) -> Flavour {
        match (year - first_year).rem_euclid(3) {
            0 => Flavour::A,
            1 => Flavour::B,
            _ => Flavour::C,
        }
    }

    fn headers(self) -> &'static [&'static str] {
        match self {
            Flavour::A => &[
                "序号",
                "回访日期",
                "责任部门",
                "项目",
                "回访类型",
                "回访方式",
                "回访结果",
                "满意度",
                "问题类别",
                "投诉等级",
                "整改状态",
                "整改期限",
                "完成日期",
                "整改后回访满意度",
                "客户意见",
                "回访人",
                "", // Excel's trailing empty column
            ],
            Flavour::B => &[
                "工单号",
                "回访时间",
                "处理部门",
                "小区",
                "回访分类",
                "回访方式",
                "接通情况",
                "客户评价",
                "投诉类别",
                "投诉等级",
                "处理状态",
                "要求完成日期",
                "整改完成日期",
                "复访满意度",
                "回访内容",
                "客服专员",
            ],
            Flavour::C => &[
                "编号",
                "走访日期",
                "所属 部门",
                "网点",
                "回访类型",
                "回访方式",
                "回访结果",
                "满意程度：",
                "问题分类",
                "投诉等级",
                "整改状态",
                "整改期限",
                "整改完成日期",
                "整改后回访满意度",
                "备注",
                "回访人",
            ],
        }
    }

    fn gb18030(self, encoding: SampleEncoding) -> bool {
        match encoding {
            SampleEncoding::Native => self == Flavour::A,
            SampleEncoding::Utf8 => false,
            SampleEncoding::Gb18030 => true,
        }
    }

    fn bom(self, encoding: SampleEncoding) -> bool {
        encoding == SampleEncoding::Native && self == Flavour::B
    }
}

/// The formatted fields of one record (canonical order; flavour A adds an empty 17th).
#[derive(Default)]
struct Fields {
    f: [String; 17],
    len: usize,
}

impl Fields {
    fn fill(&mut self, flavour: Flavour, row: &Row, seq: u64, day_seq: u32, date: NaiveDate) {
        for s in &mut self.f {
            s.clear();
        }
        let (y, m, d) = (date.year(), date.month(), date.day());
        let (hh, mm, ss) = (row.secs / 3600, row.secs / 60 % 60, row.secs % 60);
        let f = &mut self.f;
        // id and visit date
        let _ = match flavour {
            Flavour::A => {
                write!(f[0], "{seq}").and_then(|_| write!(f[1], "{y}/{m}/{d} {hh}:{mm:02}"))
            }
            Flavour::B => write!(f[0], "GD{y}{m:02}{d:02}{day_seq:04}")
                .and_then(|_| write!(f[1], "{y}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}")),
            Flavour::C => write!(f[0], "HF-{y}-{seq:06}").and_then(|_| {
                if row.excel_serial {
                    write!(f[1], "{}", date.num_days_from_ce() - EXCEL_EPOCH_CE)
                } else {
                    write!(f[1], "{y}年{m}月{d}日")
                }
            }),
        };
        f[2].push_str(DEPARTMENTS[row.dept]);
        f[3].push_str(SITES[row.site]);
        f[4].push_str(VISIT_TYPES[row.visit_type]);
        f[5].push_str(CHANNELS[row.channel]);
        f[6].push_str(CONTACT_RESULTS[row.contact]);
        if let Some(level) = row.satisfaction {
            f[7].push_str(if flavour == Flavour::B && row.sat_digit {
                LEVEL_DIGITS[level]
            } else {
                LEVELS[level]
            });
        }
        if let Some(category) = row.category {
            f[8].push_str(category);
        }
        if let Some(severity) = row.severity {
            f[9].push_str(SEVERITIES[severity]);
        }
        if let Some(status) = row.status {
            f[10].push_str(STATUSES[status]);
        }
        if let Some(due) = row.due {
            short_date(flavour, due, &mut f[11]);
        }
        if let Some(closed) = row.closed {
            short_date(flavour, closed, &mut f[12]);
        }
        if let Some(level) = row.revisit {
            f[13].push_str(LEVELS[level]);
        }
        f[14].push_str(&row.comment);
        f[15].push_str(STAFF[row.staff]);
        self.len = if flavour == Flavour::A { 17 } else { 16 };
    }
}

/// Days from 0001-01-01 (CE day 1) to Excel's day 0, 1899-12-30.
const EXCEL_EPOCH_CE: i32 = 693_594;

fn date_from_days(days_from_ce: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(days_from_ce).expect("date within chrono's range")
}

/// A due or closing date: `2024/3/8` in flavour A, `2025-03-08` otherwise.
fn short_date(flavour: Flavour, day: i32, out: &mut String) {
    let date = date_from_days(day);
    let (y, m, d) = (date.year(), date.month(), date.day());
    let _ = match flavour {
        Flavour::A => write!(out, "{y}/{m}/{d}"),
        Flavour::B | Flavour::C => write!(out, "{y}-{m:02}-{d:02}"),
    };
}

/// The byte sink under the CSV writer. For GB18030 it collects one record's UTF-8 bytes and
/// encodes the whole line when the CSV writer is flushed after the record; `flush` leaves the
/// file buffer alone (see [`YearFile::finish`]).
struct Sink {
    out: BufWriter<File>,
    gb18030: bool,
    pending: Vec<u8>,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.gb18030 {
            self.pending.extend_from_slice(buf);
            Ok(buf.len())
        } else {
            self.out.write(buf)
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.gb18030 && !self.pending.is_empty() {
            let text = std::str::from_utf8(&self.pending)
                .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            let (bytes, _, _) = encoding_rs::GB18030.encode(text);
            self.out.write_all(&bytes)?;
            self.pending.clear();
        }
        Ok(())
    }
}

struct YearFile {
    year: i32,
    flavour: Flavour,
    gb18030: bool,
    /// Running record number in this file (flavours A and C).
    seq: u64,
    csv: csv::Writer<Sink>,
}

impl YearFile {
    fn create(
        path: &Path,
        year: i32,
        flavour: Flavour,
        encoding: SampleEncoding,
    ) -> io::Result<YearFile> {
        let mut out = BufWriter::with_capacity(1 << 16, File::create(path)?);
        if flavour.bom(encoding) {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        let gb18030 = flavour.gb18030(encoding);
        let sink = Sink {
            out,
            gb18030,
            pending: Vec::with_capacity(1024),
        };
        let terminator = match flavour {
            Flavour::A => csv::Terminator::CRLF,
            Flavour::B | Flavour::C => csv::Terminator::Any(b'\n'),
        };
        let csv = csv::WriterBuilder::new()
            .terminator(terminator)
            .from_writer(sink);
        let mut file = YearFile {
            year,
            flavour,
            gb18030,
            seq: 0,
            csv,
        };
        file.write_record(flavour.headers())?;
        Ok(file)
    }

    fn write_fields(&mut self, fields: &Fields) -> io::Result<()> {
        self.write_record(&fields.f[..fields.len])
    }

    fn write_record<T: AsRef<[u8]>>(&mut self, record: &[T]) -> io::Result<()> {
        self.csv.write_record(record)?;
        if self.gb18030 {
            self.csv.flush()?;
        }
        Ok(())
    }

    fn finish(self) -> io::Result<()> {
        let mut sink = self.csv.into_inner().map_err(|e| e.into_error())?;
        sink.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> SampleOptions {
        SampleOptions {
            rows: 3000,
            ..SampleOptions::default()
        }
    }

    fn read_all(paths: &[PathBuf]) -> Vec<Vec<u8>> {
        paths.iter().map(|p| fs::read(p).unwrap()).collect()
    }

    fn decode(bytes: &[u8]) -> String {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_owned(),
            Err(_) => encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(bytes)
                .expect("valid GB18030")
                .into_owned(),
        }
    }

    #[test]
    fn same_options_give_identical_bytes() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let pa = write_sample(&small(), a.path()).unwrap();
        let pb = write_sample(&small(), b.path()).unwrap();
        assert_eq!(pa.len(), 3);
        assert_eq!(read_all(&pa), read_all(&pb));
    }

    #[test]
    fn different_seed_gives_different_bytes() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let other = SampleOptions { seed: 7, ..small() };
        let pa = write_sample(&small(), a.path()).unwrap();
        let pb = write_sample(&other, b.path()).unwrap();
        assert_ne!(read_all(&pa), read_all(&pb));
    }

    #[test]
    fn row_counts_add_up() {
        for encoding in [
            SampleEncoding::Native,
            SampleEncoding::Utf8,
            SampleEncoding::Gb18030,
        ] {
            let dir = tempfile::tempdir().unwrap();
            let opts = SampleOptions {
                rows: 2345,
                encoding,
                ..SampleOptions::default()
            };
            let paths = write_sample(&opts, dir.path()).unwrap();
            let mut total = 0u64;
            for bytes in read_all(&paths) {
                let text = decode(&bytes);
                let mut reader = csv::Reader::from_reader(text.as_bytes());
                for record in reader.records() {
                    record.unwrap();
                    total += 1;
                }
            }
            assert_eq!(total, opts.rows, "{encoding:?}");
        }
    }

    #[test]
    fn gb18030_files_decode_and_name_the_department_column() {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_sample(&small(), dir.path()).unwrap();
        // Native: the first year (flavour A, Excel) is GB18030.
        let bytes = fs::read(&paths[0]).unwrap();
        assert!(std::str::from_utf8(&bytes).is_err());
        let text = encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(&bytes)
            .expect("decodes without errors");
        assert!(text.starts_with("序号,回访日期,责任部门,"));
        assert!(text.contains("责任部门"));
        assert!(text.lines().next().unwrap().ends_with("回访人,"));
    }

    #[test]
    fn crm_file_starts_with_bom() {
        let dir = tempfile::tempdir().unwrap();
        let paths = write_sample(&small(), dir.path()).unwrap();
        assert!(paths[1].ends_with("visits-2025.csv"));
        let bytes = fs::read(&paths[1]).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        assert!(!fs::read(&paths[2]).unwrap().starts_with(b"\xEF\xBB\xBF"));
    }
}
