"""English names of Chinese cities and provinces, so "Shanghai" finds 上海 in the store."""

from __future__ import annotations

CITY_NAMES_EN: dict[str, str] = {
    "上海": "Shanghai",
    "北京": "Beijing",
    "广州": "Guangzhou",
    "深圳": "Shenzhen",
    "杭州": "Hangzhou",
    "宁波": "Ningbo",
    "成都": "Chengdu",
    "重庆": "Chongqing",
    "武汉": "Wuhan",
    "南京": "Nanjing",
    "苏州": "Suzhou",
    "无锡": "Wuxi",
    "天津": "Tianjin",
    "西安": "Xi'an",
    "长沙": "Changsha",
    "郑州": "Zhengzhou",
    "青岛": "Qingdao",
    "济南": "Jinan",
    "厦门": "Xiamen",
    "福州": "Fuzhou",
    "合肥": "Hefei",
    "昆明": "Kunming",
    "沈阳": "Shenyang",
    "大连": "Dalian",
    "哈尔滨": "Harbin",
    "长春": "Changchun",
    "东莞": "Dongguan",
    "佛山": "Foshan",
    "南宁": "Nanning",
    "贵阳": "Guiyang",
    "南昌": "Nanchang",
    "太原": "Taiyuan",
    "石家庄": "Shijiazhuang",
    "兰州": "Lanzhou",
    "海口": "Haikou",
    "乌鲁木齐": "Urumqi",
    "呼和浩特": "Hohhot",
    "拉萨": "Lhasa",
    "银川": "Yinchuan",
    "西宁": "Xining",
    "珠海": "Zhuhai",
    "温州": "Wenzhou",
    # (Hong Kong, Macau and Taiwan, named by Traditional-Chinese users: 台中 reads as 台 + the
    # function word 中 otherwise, and would vanish from the question)
    "香港": "Hong Kong",
    "澳门": "Macau",
    "台北": "Taipei",
    "新北": "New Taipei",
    "台中": "Taichung",
    "台南": "Tainan",
    "高雄": "Kaohsiung",
    "桃园": "Taoyuan",
    "新竹": "Hsinchu",
    "基隆": "Keelung",
}

PROVINCE_NAMES_EN: dict[str, str] = {
    "上海": "Shanghai",
    "北京": "Beijing",
    "天津": "Tianjin",
    "重庆": "Chongqing",
    "广东": "Guangdong",
    "浙江": "Zhejiang",
    "江苏": "Jiangsu",
    "四川": "Sichuan",
    "湖北": "Hubei",
    "湖南": "Hunan",
    "河南": "Henan",
    "河北": "Hebei",
    "山东": "Shandong",
    "山西": "Shanxi",
    "陕西": "Shaanxi",
    "福建": "Fujian",
    "安徽": "Anhui",
    "江西": "Jiangxi",
    "云南": "Yunnan",
    "贵州": "Guizhou",
    "辽宁": "Liaoning",
    "吉林": "Jilin",
    "黑龙江": "Heilongjiang",
    "广西": "Guangxi",
    "海南": "Hainan",
    "甘肃": "Gansu",
    "青海": "Qinghai",
    "宁夏": "Ningxia",
    "新疆": "Xinjiang",
    "西藏": "Tibet",
    "内蒙古": "Inner Mongolia",
    "香港": "Hong Kong",
    "澳门": "Macau",
    "台湾": "Taiwan",
}


# Two-letter short forms business people write for cities ("ex-SH", "BJ vs SH"), with every
# city each may stand for: a short form is read only where exactly one of its cities is a
# store value ("SZ" is 深圳 or 苏州: asked about when the store holds both). Forms that are
# ordinary English words or common codes ("CD", "CS", "NB") are not listed.
CITY_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "SH": ("上海",),
    "BJ": ("北京",),
    "GZ": ("广州",),
    "SZ": ("深圳", "苏州"),
    "HZ": ("杭州",),
    "CQ": ("重庆",),
    "TJ": ("天津",),
    "NJ": ("南京",),
    "WH": ("武汉",),
}


def city_short_forms(cities: set[str]) -> dict[str, str]:
    """The short forms that name exactly one of the store's `cities` ("SH": 上海)."""
    out = {}
    for form, names in CITY_SHORT_FORMS.items():
        held = [c for c in cities if c.removesuffix("市") in names]
        if len(held) == 1:
            out[form] = held[0]
    return out


def english_aliases(value: str) -> list[str]:
    """English names for a Chinese city or province value (empty if unknown), each also as
    typed or dictated without its syllable mark: "Xi'an" is "Xian", "Xi an" and "Xi’an" too
    (the mark only separates pinyin syllables; no other name of the tables spells so)."""
    stripped = value.removesuffix("市").removesuffix("省")
    names = {CITY_NAMES_EN.get(stripped), PROVINCE_NAMES_EN.get(stripped)}
    proper = sorted(n for n in names if n)
    spelt = [
        form
        for name in proper
        for form in (name.replace("'", ""), name.replace("'", " "), name.replace("'", "’"))
    ]
    # The proper names first: a reply naming the closest value shows the first.
    return proper + sorted(set(spelt) - set(proper))


# Names of a region made of several provinces or cities ("江浙沪的门店销售额", "沪深两地",
# "Jiangsu-Zhejiang-Shanghai"): each place written out before a question is read, so a
# filter or an exclusion holds them all as one list (copilot/offline/question.py). The places
# are the provinces (a municipality is its own province) or the cities the name means; a place
# the store lacks simply matches nothing.
REGION_GROUPS: dict[str, tuple[str, ...]] = {
    "江浙沪": ("江苏", "浙江", "上海"),
    "江浙沪地区": ("江苏", "浙江", "上海"),
    "苏浙沪": ("江苏", "浙江", "上海"),
    "沪苏浙": ("上海", "江苏", "浙江"),
    "江浙": ("江苏", "浙江"),
    "长三角": ("上海", "江苏", "浙江", "安徽"),
    "珠三角": ("广州", "深圳", "佛山", "东莞", "珠海"),
    "京津冀": ("北京", "天津", "河北"),
    "京津": ("北京", "天津"),
    "沪深": ("上海", "深圳"),
    "沪杭": ("上海", "杭州"),
    "川渝": ("四川", "重庆"),
    "成渝": ("成都", "重庆"),
    "Jiangsu-Zhejiang-Shanghai": ("江苏", "浙江", "上海"),
    "Jiangsu Zhejiang Shanghai": ("江苏", "浙江", "上海"),
    "Yangtze River Delta": ("上海", "江苏", "浙江", "安徽"),
    "Yangtze Delta": ("上海", "江苏", "浙江", "安徽"),
    "YRD": ("上海", "江苏", "浙江", "安徽"),
    "Pearl River Delta": ("广州", "深圳", "佛山", "东莞", "珠海"),
    "PRD": ("广州", "深圳", "佛山", "东莞", "珠海"),
    "Beijing-Tianjin-Hebei": ("北京", "天津", "河北"),
    "Jing-Jin-Ji": ("北京", "天津", "河北"),
    "Chengdu-Chongqing": ("成都", "重庆"),
}
