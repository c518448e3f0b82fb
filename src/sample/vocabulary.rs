//! The words the sample writes into its cells: departments, estates, staff, and the values of
//! the coded columns as the source systems spell them.

use std::borrow::Cow;

/// 责任部门.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Department {
    /// 客服部
    #[default]
    CustomerService,
    /// 工程部
    Engineering,
    /// 保洁部
    Cleaning,
    /// 秩序维护部
    Security,
    /// 绿化部
    Landscaping,
    /// 车辆管理部
    Parking,
    /// 收费中心
    Billing,
    /// 社区文化部
    Community,
}

impl Department {
    pub(super) fn name(self) -> &'static str {
        match self {
            Department::CustomerService => "客服部",
            Department::Engineering => "工程部",
            Department::Cleaning => "保洁部",
            Department::Security => "秩序维护部",
            Department::Landscaping => "绿化部",
            Department::Parking => "车辆管理部",
            Department::Billing => "收费中心",
            Department::Community => "社区文化部",
        }
    }
}

/// The estates (小区); `--sites K` uses the first K.
pub(super) const SITES: [&str; 20] = [
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

/// The name of department `index` of `--departments K`: the eight built-in departments, then
/// the eight again for each further branch, numbered from 2 (工程部2), so a benchmark can ask
/// for thousands.
pub(super) fn department_name(department: Department, index: usize) -> Cow<'static, str> {
    numbered(department.name(), index / DEPARTMENTS, "")
}

/// The name of estate `index` of `--sites K`: the twenty built-in estates, then their later
/// phases (翠湖花园2期).
pub(super) fn site_name(index: usize) -> Cow<'static, str> {
    numbered(SITES[index % SITES.len()], index / SITES.len(), "期")
}

/// How many departments have a name (and a profile) of their own.
pub(super) const DEPARTMENTS: usize = 8;

fn numbered(name: &'static str, round: usize, suffix: &str) -> Cow<'static, str> {
    match round {
        0 => Cow::Borrowed(name),
        n => Cow::Owned(format!("{name}{}{suffix}", n + 1)),
    }
}

/// 回访人.
pub(super) const STAFF: [&str; 12] = [
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

/// 回访类型.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum VisitType {
    /// 定期走访
    #[default]
    Regular,
    /// 专项走访
    Special,
    /// 投诉回访
    Complaint,
    /// 维修回访
    Repair,
    /// 有偿服务回访
    PaidService,
    /// 安装回访
    Installation,
    /// 巡检回访
    Inspection,
}

impl VisitType {
    /// The order of the per-department visit-type weights.
    pub(super) const ALL: [VisitType; 7] = [
        VisitType::Regular,
        VisitType::Special,
        VisitType::Complaint,
        VisitType::Repair,
        VisitType::PaidService,
        VisitType::Installation,
        VisitType::Inspection,
    ];

    pub(super) fn name(self) -> &'static str {
        match self {
            VisitType::Regular => "定期走访",
            VisitType::Special => "专项走访",
            VisitType::Complaint => "投诉回访",
            VisitType::Repair => "维修回访",
            VisitType::PaidService => "有偿服务回访",
            VisitType::Installation => "安装回访",
            VisitType::Inspection => "巡检回访",
        }
    }
}

/// 回访方式.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Channel {
    /// 电话
    #[default]
    Phone,
    /// 上门
    HomeVisit,
    /// 巡视
    Walkabout,
    /// 短信
    Sms,
    /// 微信
    WeChat,
}

impl Channel {
    pub(super) fn name(self) -> &'static str {
        match self {
            Channel::Phone => "电话",
            Channel::HomeVisit => "上门",
            Channel::Walkabout => "巡视",
            Channel::Sms => "短信",
            Channel::WeChat => "微信",
        }
    }

    pub(super) fn in_person(self) -> bool {
        matches!(self, Channel::HomeVisit | Channel::Walkabout)
    }

    /// A survey sent as a message, which the customer may leave unanswered.
    pub(super) fn by_message(self) -> bool {
        matches!(self, Channel::Sms | Channel::WeChat)
    }
}

/// 回访结果.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum ContactResult {
    /// 成功
    #[default]
    Success,
    /// 已回访
    Visited,
    /// 未接通
    NoAnswer,
    /// 不方便/改约
    Rescheduled,
    /// 拒访
    Refused,
}

impl ContactResult {
    pub(super) fn name(self) -> &'static str {
        match self {
            ContactResult::Success => "成功",
            ContactResult::Visited => "已回访",
            ContactResult::NoAnswer => "未接通",
            ContactResult::Rescheduled => "不方便/改约",
            ContactResult::Refused => "拒访",
        }
    }

    /// Whether the customer was reached (DOMAIN.md: contacted).
    pub(super) fn contacted(self) -> bool {
        matches!(self, ContactResult::Success | ContactResult::Visited)
    }
}

/// 满意度, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Satisfaction {
    /// 非常满意
    VerySatisfied,
    /// 满意
    Satisfied,
    /// 一般
    Neutral,
    /// 不满意
    Dissatisfied,
    /// 非常不满意
    VeryDissatisfied,
}

impl Satisfaction {
    pub(super) fn name(self) -> &'static str {
        match self {
            Satisfaction::VerySatisfied => "非常满意",
            Satisfaction::Satisfied => "满意",
            Satisfaction::Neutral => "一般",
            Satisfaction::Dissatisfied => "不满意",
            Satisfaction::VeryDissatisfied => "非常不满意",
        }
    }

    /// The score a CRM writes instead of the word: 5 for 非常满意 … 1 for 非常不满意.
    pub(super) fn digit(self) -> &'static str {
        match self {
            Satisfaction::VerySatisfied => "5",
            Satisfaction::Satisfied => "4",
            Satisfaction::Neutral => "3",
            Satisfaction::Dissatisfied => "2",
            Satisfaction::VeryDissatisfied => "1",
        }
    }

    pub(super) fn top_two(self) -> bool {
        matches!(self, Satisfaction::VerySatisfied | Satisfaction::Satisfied)
    }
}

/// 投诉等级.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Severity {
    /// 轻微
    Minor,
    /// 重要
    Important,
    /// 重大
    Major,
}

impl Severity {
    pub(super) fn name(self) -> &'static str {
        match self {
            Severity::Minor => "轻微",
            Severity::Important => "重要",
            Severity::Major => "重大",
        }
    }
}

/// 整改状态.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Status {
    /// 待处理
    Pending,
    /// 处理中
    InProgress,
    /// 已整改
    Rectified,
    /// 已验证
    Verified,
    /// 暂不能解决
    Unsolvable,
}

impl Status {
    pub(super) fn name(self) -> &'static str {
        match self {
            Status::Pending => "待处理",
            Status::InProgress => "处理中",
            Status::Rectified => "已整改",
            Status::Verified => "已验证",
            Status::Unsolvable => "暂不能解决",
        }
    }
}

/// 问题类别: what a complaint is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Category {
    /// 服务态度
    Attitude,
    /// 回复不及时
    SlowReply,
    /// 电梯故障
    LiftFault,
    /// 漏水渗水
    Leak,
    /// 水电维修
    PlumbingWiring,
    /// 门禁故障
    AccessControl,
    /// 公共设施损坏
    BrokenFacilities,
    /// 垃圾清运不及时
    LateRubbish,
    /// 公共区域卫生
    CommonAreaHygiene,
    /// 楼道异味
    StairwellOdour,
    /// 噪音扰民
    Noise,
    /// 外来人员管理
    Outsiders,
    /// 安全巡逻
    Patrols,
    /// 绿化养护
    Gardening,
    /// 蚊虫消杀
    Pests,
    /// 停车管理
    ParkingManagement,
    /// 车辆乱停
    BadParking,
    /// 收费疑问
    FeeQuestion,
    /// 发票开具
    Invoice,
    /// 活动组织
    Events,
}

impl Category {
    pub(super) fn name(self) -> &'static str {
        match self {
            Category::Attitude => "服务态度",
            Category::SlowReply => "回复不及时",
            Category::LiftFault => "电梯故障",
            Category::Leak => "漏水渗水",
            Category::PlumbingWiring => "水电维修",
            Category::AccessControl => "门禁故障",
            Category::BrokenFacilities => "公共设施损坏",
            Category::LateRubbish => "垃圾清运不及时",
            Category::CommonAreaHygiene => "公共区域卫生",
            Category::StairwellOdour => "楼道异味",
            Category::Noise => "噪音扰民",
            Category::Outsiders => "外来人员管理",
            Category::Patrols => "安全巡逻",
            Category::Gardening => "绿化养护",
            Category::Pests => "蚊虫消杀",
            Category::ParkingManagement => "停车管理",
            Category::BadParking => "车辆乱停",
            Category::FeeQuestion => "收费疑问",
            Category::Invoice => "发票开具",
            Category::Events => "活动组织",
        }
    }
}
