//! The 客户意见 column: what customers say, and what the log says when nobody answered. The
//! phrases hold placeholders for a building, lift or flat; some comments carry a name or a
//! mobile number (personal data the report must mask), a few a quote across two lines.

use std::fmt::Write as _;

use super::rng::Rng;
use super::row::Row;
use super::vocabulary::{Category, ContactResult, Department, Satisfaction};

/// Fills `row.comment` (left empty on most rows) from the rest of the row. `scratch` is a
/// buffer kept between rows.
pub(super) fn write_comment(rng: &mut Rng, row: &mut Row, scratch: &mut String) {
    let contacted = row.contact_result.contacted();
    let pleased = row.satisfaction.is_none_or(Satisfaction::top_two);
    let happy = pleased && row.category.is_none();
    let template = if let Some(excuses) = not_reached(row.contact_result) {
        rng.chance(500).then(|| rng.pick(excuses))
    } else if let Some(category) = row.category {
        rng.chance(800)
            .then(|| rng.pick(complaints_about(category)))
    } else if pleased {
        rng.chance(260).then(|| {
            if rng.chance(250) {
                rng.pick(&PRAISE_GENERIC)
            } else {
                rng.pick(praise(row.department))
            }
        })
    } else {
        rng.chance(600).then(|| rng.pick(gripes(row.department)))
    };
    let Some(template) = template else {
        return;
    };
    let text = scratch;
    text.clear();
    render(rng, template, text);

    let out = &mut row.comment;
    // ~5% name the owner or leave a mobile number.
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
        let department = row.department.name();
        if happy {
            let quote = rng.pick(&QUOTES_HAPPY);
            let _ = write!(out, ",业主原话:\"{quote}\"\n已向{department}转达表扬");
        } else {
            let quote = rng.pick(&QUOTES_UNHAPPY);
            let _ = write!(out, ",业主原话:\"{quote}\"\n已转{department}跟进");
        }
    }
}

/// Appends `template` to `out`, filling `{栋}` (building), `{梯}` (lift), `{室}` (flat).
fn render(rng: &mut Rng, template: &str, out: &mut String) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|len| open + len) else {
            break;
        };
        out.push_str(&rest[..open]);
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

const SURNAMES: [&str; 20] = [
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗",
];

/// What a customer says about a complaint category. `{栋}`, `{梯}`, `{室}` are filled in.
fn complaints_about(category: Category) -> &'static [&'static str] {
    match category {
        Category::LiftFault => &[
            "电梯{梯}经常停运,希望尽快维修",
            "{栋}电梯按键失灵,老人上下楼很不方便",
            "电梯运行有异响,担心安全问题",
            "{栋}电梯困人,救援等了半个多小时",
        ],
        Category::Leak => &[
            "{栋}{室}卫生间顶部渗水,楼上业主不配合检查",
            "地下车库顶板漏水,车被淋了",
            "外墙渗水导致卧室墙皮脱落",
            "雨后阳台积水严重,要求排查原因",
        ],
        Category::PlumbingWiring => &[
            "厨房水管漏水,维修师傅当天上门处理了",
            "{栋}楼道灯坏了一个多星期没人修",
            "家里跳闸,报修后等了很久",
            "水压太小,高层用水困难",
        ],
        Category::AccessControl => &[
            "{栋}单元门禁刷卡没反应",
            "门禁对讲机听不清楚",
            "人脸识别经常识别不了,进门要等很久",
        ],
        Category::BrokenFacilities => &[
            "小区健身器材损坏,存在安全隐患",
            "儿童游乐设施松动,希望尽快维修",
            "{栋}楼道窗户玻璃破损",
        ],
        Category::LateRubbish => &[
            "垃圾桶满了没人清理,气味很大",
            "装修垃圾堆在{栋}楼下好几天了",
            "周末垃圾清运不及时",
        ],
        Category::CommonAreaHygiene => &[
            "楼道地面有污渍,清扫不够彻底",
            "电梯轿厢卫生差",
            "地下车库灰尘很大",
        ],
        Category::StairwellOdour => &["{栋}楼道有异味,怀疑下水道反味", "楼道里有人堆放杂物,有臭味"],
        Category::Noise => &[
            "楼上装修噪音太大,中午也不停",
            "晚上广场舞声音太大,影响休息",
            "{栋}楼下夜间有人喧哗",
        ],
        Category::Outsiders => &[
            "外卖快递员随意进出小区",
            "门岗对外来人员不登记",
            "小区里有人发小广告",
        ],
        Category::Patrols => &[
            "晚上很少看到保安巡逻",
            "{栋}附近路灯不亮,晚上不安全",
            "监控有死角,希望加强巡查",
        ],
        Category::Gardening => &[
            "草坪很久没修剪了",
            "{栋}前的树枝挡住了窗户,希望修剪",
            "绿化带有枯死的苗木没有补种",
        ],
        Category::Pests => &[
            "蚊子太多,希望增加消杀次数",
            "绿化带有老鼠出没",
            "夏天蟑螂多,建议定期消杀",
        ],
        Category::ParkingManagement => &[
            "地下车位被别人占用",
            "临时停车收费不合理",
            "车库出入口道闸经常抬不起来",
        ],
        Category::BadParking => &[
            "消防通道有车辆乱停",
            "电动车在楼道充电,存在安全隐患",
            "{栋}门口经常有车堵路",
        ],
        Category::Attitude => &[
            "前台客服态度冷淡",
            "打电话报修,客服不耐烦",
            "管家说话不客气",
        ],
        Category::SlowReply => &[
            "反映的问题一周了还没有回复",
            "物业APP上报修没人处理",
            "客服电话经常打不通",
        ],
        Category::FeeQuestion => &[
            "物业费账单和去年不一样,要求解释",
            "公摊水电费偏高,要求公示明细",
            "车位管理费收费标准不清楚",
        ],
        Category::Invoice => &["交了物业费还没拿到发票", "电子发票抬头开错了,需要重开"],
        Category::Events => &[
            "社区活动通知太晚,没赶上",
            "希望多组织一些老年人活动",
            "活动场地太小,人太多",
        ],
    }
}

/// What a satisfied customer says about a department.
fn praise(department: Department) -> &'static [&'static str] {
    match department {
        Department::CustomerService => &[
            "管家服务很贴心,有事都能及时处理",
            "前台小姑娘态度很好",
            "对物业服务总体满意",
        ],
        Department::Engineering => &[
            "维修师傅很及时,态度好",
            "上门维修很专业,收费合理",
            "报修后当天就修好了,很满意",
        ],
        Department::Cleaning => &[
            "对保洁阿姨的服务很满意",
            "楼道打扫得很干净",
            "垃圾清运很及时",
        ],
        Department::Security => &[
            "保安很负责,晚上巡逻很认真",
            "门岗对外来人员登记很严格",
            "保安帮忙搬东西,很感谢",
        ],
        Department::Landscaping => &["小区绿化越来越好了", "花草修剪得很整齐"],
        Department::Parking => &["车库秩序比以前好多了", "停车引导很到位"],
        Department::Billing => &["缴费很方便,可以线上支付", "收费员解释得很清楚"],
        Department::Community => &["中秋活动办得很好,孩子很喜欢", "希望多办这样的活动"],
    }
}
const PRAISE_GENERIC: [&str; 3] = ["没有意见", "挺好的,继续保持", "感谢物业的辛苦付出"];

/// What a customer less than satisfied says about a department.
fn gripes(department: Department) -> &'static [&'static str] {
    match department {
        Department::CustomerService => &["有些问题反映了很多次", "服务一般,希望再主动一些"],
        Department::Engineering => &["维修质量一般,过几天又坏了", "维修师傅来得有点晚"],
        Department::Cleaning => &["保洁不够细致,角落有垃圾", "夏天垃圾桶附近味道大"],
        Department::Security => &["保安有时候在岗位上玩手机", "夜间巡逻不够"],
        Department::Landscaping => &["绿化一般,杂草有点多"],
        Department::Parking => &["车位太紧张,晚上回来没地方停"],
        Department::Billing => &["物业费涨了,服务没跟上"],
        Department::Community => &["活动宣传不够"],
    }
}

/// What the log says of a customer not reached; `None` when the customer was reached.
fn not_reached(result: ContactResult) -> Option<&'static [&'static str]> {
    match result {
        ContactResult::Success | ContactResult::Visited => None,
        ContactResult::NoAnswer => Some(&[
            "电话无人接听",
            "多次拨打无人接听,稍后再回访",
            "关机",
            "号码为空号,需核实业主联系方式",
        ]),
        ContactResult::Rescheduled => Some(&[
            "业主在开会,约明天再回访",
            "业主在外地,约下周回访",
            "业主表示现在不方便,改约时间",
        ]),
        ContactResult::Refused => Some(&[
            "业主表示不需要回访",
            "业主拒绝接受回访",
            "业主情绪较大,拒绝沟通",
        ]),
    }
}

const QUOTES_UNHAPPY: [&str; 4] = [
    "再不处理就打12345",
    "你们物业到底管不管",
    "希望下次别再这样了",
    "说了好几次了",
];
const QUOTES_HAPPY: [&str; 3] = ["辛苦了,谢谢你们", "有你们在很放心", "继续加油"];
