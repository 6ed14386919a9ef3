"""Which file column feeds which target column: header normalisation and bilingual synonyms.

A header matches a target column when its normalised form (lowercase, no
spaces, underscores, dashes, dots or bracketed units) equals the normalised
form of one of the column's synonyms. Synonyms are tried in order, so the more
specific spellings come first; each file column is used at most once.
"""

from __future__ import annotations

import re

from knowledge.importers.errors import ImportFileError
from knowledge.store.schema import BUSINESS_TABLES

TABLE_TARGETS: tuple[str, ...] = tuple(model.__tablename__ for model in BUSINESS_TABLES)
IMPORT_TARGETS: tuple[str, ...] = ("transactions", *TABLE_TARGETS)

# The logical columns of a line-level sales log, in matching order.
TRANSACTION_COLUMNS: tuple[str, ...] = (
    "order_id",
    "customer_id",
    "ordered_at",
    "product_code",
    "product_name",
    "quantity",
    "unit_price",
    "category",
    "country",
    "city",
    "status",
    "channel",
    "currency",
)

# Synonyms shared by every target that has a column of this name.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "customer_id": (
        "customer_id",
        "customer",
        "cust_id",
        "customer_no",
        "customer_number",
        "client_id",
        "member_id",
        "member",
        "user_id",
        "user",
        "buyer_id",
        "buyer",
        "客户id",
        "客户编号",
        "客户号",
        "会员id",
        "会员编号",
        "会员号",
        "用户id",
        "用户编号",
        "买家id",
        "顾客id",
    ),
    "order_id": (
        "order_id",
        "invoice_no",
        "invoice",
        "invoice_number",
        "invoice_id",
        "order_no",
        "order_number",
        "order",
        "transaction_id",
        "订单号",
        "订单id",
        "订单编号",
        "单号",
    ),
    "ordered_at": (
        "ordered_at",
        "invoice_date",
        "order_date",
        "order_time",
        "order_datetime",
        "purchase_date",
        "purchase_time",
        "created_at",
        "datetime",
        "timestamp",
        "date",
        "time",
        "下单时间",
        "订单时间",
        "购买时间",
        "交易时间",
        "下单日期",
        "订单日期",
        "创建时间",
        "日期",
        "时间",
    ),
    "order_date": ("order_date", "date", "订单日期", "下单日期", "日期"),
    "sku": (
        "sku",
        "stock_code",
        "product_code",
        "item_code",
        "product_id",
        "item_id",
        "product_sku",
        "商品编码",
        "商品编号",
        "商品id",
        "货号",
        "sku编码",
        "产品编码",
        "产品id",
    ),
    "quantity": (
        "quantity",
        "qty",
        "units",
        "quantity_sold",
        "数量",
        "购买数量",
        "商品数量",
        "件数",
    ),
    "unit_price": (
        "unit_price",
        "price",
        "sale_price",
        "unit_cost",
        "单价",
        "商品单价",
        "成交价",
        "售价",
        "价格",
    ),
    "category": (
        "category",
        "product_category",
        "category_name",
        "品类",
        "类目",
        "商品类别",
        "商品分类",
        "类别",
        "分类",
        "一级类目",
    ),
    "country": ("country", "nation", "国家", "国家地区", "国家/地区"),
    "city": ("city", "town", "城市", "所在城市", "收货城市"),
    "province": ("province", "state", "region", "省份", "省", "所在省份"),
    "status": ("status", "order_status", "订单状态", "交易状态", "状态"),
    "channel": ("channel", "sales_channel", "platform", "渠道", "销售渠道", "平台"),
    "currency": ("currency", "currency_code", "curr", "ccy", "币种", "货币", "结算币种"),
    "name": ("name", "customer_name", "full_name", "姓名", "客户名称", "客户姓名", "名字"),
    "email": ("email", "e_mail", "mail", "email_address", "邮箱", "电子邮件", "邮件地址"),
    "phone": (
        "phone",
        "mobile",
        "phone_number",
        "mobile_phone",
        "tel",
        "telephone",
        "手机",
        "手机号",
        "手机号码",
        "电话",
        "联系电话",
    ),
    "gender": ("gender", "sex", "性别"),
    "birth_year": ("birth_year", "year_of_birth", "birthyear", "出生年份", "出生年"),
    "signup_date": (
        "signup_date",
        "register_date",
        "registration_date",
        "join_date",
        "created_at",
        "注册日期",
        "注册时间",
        "开卡日期",
        "入会日期",
    ),
    "signup_channel": (
        "signup_channel",
        "acquisition_channel",
        "register_channel",
        "source",
        "注册渠道",
        "来源渠道",
        "来源",
    ),
    "language": ("language", "lang", "locale", "语言"),
    "consent_email": ("consent_email", "email_consent", "email_opt_in", "邮件授权", "同意邮件"),
    "consent_sms": ("consent_sms", "sms_consent", "sms_opt_in", "短信授权", "同意短信"),
    "consent_push": ("consent_push", "push_consent", "push_opt_in", "推送授权", "同意推送"),
    "consent_social": ("consent_social", "social_consent", "social_opt_in", "社交授权"),
    "name_en": (
        "name_en",
        "english_name",
        "product_name_en",
        "product_name",
        "name",
        "description",
        "英文名",
        "英文名称",
    ),
    "name_zh": (
        "name_zh",
        "chinese_name",
        "product_name_zh",
        "中文名",
        "中文名称",
        "商品名称",
        "商品名",
        "产品名称",
        "品名",
    ),
    "category_zh": ("category_zh", "chinese_category", "中文类目", "中文品类"),
    "price": ("price", "unit_price", "list_price", "价格", "单价", "售价", "标价"),
    "total": (
        "total",
        "order_total",
        "total_amount",
        "amount",
        "order_amount",
        "revenue",
        "sales",
        "gmv",
        "订单金额",
        "实付金额",
        "支付金额",
        "总金额",
        "金额",
        "销售额",
    ),
    "line_no": ("line_no", "line", "line_number", "item_no", "行号", "序号"),
    "amount": ("amount", "line_total", "line_amount", "subtotal", "total", "小计", "金额"),
    "campaign_id": ("campaign_id", "campaign", "活动id", "活动编号"),
    "start_date": ("start_date", "start", "begin_date", "开始日期", "开始时间"),
    "end_date": ("end_date", "end", "finish_date", "结束日期", "结束时间"),
    "cost": ("cost", "spend", "budget", "费用", "成本", "花费", "预算"),
    "target_segment": ("target_segment", "segment", "audience", "目标人群", "人群"),
    "variants": ("variants", "versions", "版本"),
    "goal": ("goal", "objective", "目标"),
    "message_id": ("message_id", "msg_id", "消息id", "消息编号"),
    "variant": ("variant", "version", "group", "版本", "分组"),
    "sent_at": ("sent_at", "send_time", "sent_time", "sent", "发送时间"),
    "delivered": ("delivered", "is_delivered", "送达", "是否送达"),
    "opened_at": ("opened_at", "open_time", "opened", "打开时间"),
    "clicked_at": ("clicked_at", "click_time", "clicked", "点击时间"),
    "attributed_order_id": (
        "attributed_order_id",
        "order_id",
        "attributed_order",
        "归因订单",
        "订单号",
    ),
    "unsubscribed": ("unsubscribed", "unsubscribe", "opt_out", "退订", "是否退订"),
    "review_id": ("review_id", "comment_id", "id", "评论id", "评价id"),
    "created_at": (
        "created_at",
        "review_date",
        "review_time",
        "date",
        "time",
        "评论时间",
        "评价时间",
        "日期",
        "时间",
    ),
    "rating": ("rating", "score", "stars", "star", "评分", "星级", "打分"),
    "text": (
        "text",
        "review",
        "review_text",
        "content",
        "comment",
        "评论内容",
        "评价内容",
        "评论",
        "评价",
        "内容",
    ),
}

# Where a target needs different words than the shared table.
TARGET_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "transactions": {
        "product_code": SYNONYMS["sku"],
        "product_name": (
            "product_name",
            "description",
            "product",
            "item_name",
            "item",
            "product_title",
            "name",
            "title",
            "商品名称",
            "商品名",
            "产品名称",
            "品名",
            "商品",
            "商品标题",
        ),
    },
    "campaigns": {"name": ("name", "campaign_name", "title", "活动名称", "名称")},
}

_BRACKETED = re.compile(r"[(（\[【].*?[)）\]】]")
_SEPARATORS = re.compile(r"[\s_\-.·/\\]+")


def normalise_header(header: str) -> str:
    """'Customer ID', 'customer_id', 'Customer-Id (member)' -> 'customerid'; '单价(元)' -> '单价'."""
    text = _BRACKETED.sub("", str(header)).strip().lower()
    stripped = _SEPARATORS.sub("", text)
    return stripped or _SEPARATORS.sub("", str(header).strip().lower())


def target_columns(target: str) -> tuple[str, ...]:
    """The columns a target accepts, in matching order."""
    check_target(target)
    if target == "transactions":
        return TRANSACTION_COLUMNS
    from knowledge.store.schema import Base

    return tuple(column.name for column in Base.metadata.tables[target].columns)


def synonyms_for(target: str, column: str) -> tuple[str, ...]:
    """The spellings that map a file header to `column` of `target`, best first."""
    specific = TARGET_SYNONYMS.get(target, {}).get(column)
    words = specific if specific is not None else SYNONYMS.get(column, ())
    return (column, *words)


def check_target(target: str) -> str:
    """`target` itself, or an ImportFileError listing the valid targets."""
    if target not in IMPORT_TARGETS:
        raise ImportFileError(
            f"Unknown import target '{target}'. Choose one of: {', '.join(IMPORT_TARGETS)}."
        )
    return target


def propose_mapping(
    target: str, columns: list[str], overrides: dict[str, str] | None = None
) -> dict[str, str]:
    """Target column -> file column, from `overrides` (which win) and then the synonyms.

    Unmatched target columns are left out. An override naming an unknown target
    column, or a file column that is not there, is an ImportFileError.
    """
    accepted = target_columns(target)
    mapping: dict[str, str] = {}
    for wanted, source in (overrides or {}).items():
        if wanted not in accepted:
            raise ImportFileError(
                f"--map {wanted}={source}: '{wanted}' is not a column of {target}; "
                f"use one of: {', '.join(accepted)}."
            )
        mapping[wanted] = _find_source(source, columns, wanted)
    used = set(mapping.values())
    by_norm: dict[str, str] = {}
    for column in columns:
        by_norm.setdefault(normalise_header(column), column)
    for wanted in accepted:
        if wanted in mapping:
            continue
        for word in synonyms_for(target, wanted):
            source = by_norm.get(normalise_header(word))
            if source is not None and source not in used:
                mapping[wanted] = source
                used.add(source)
                break
    return mapping


def _find_source(source: str, columns: list[str], wanted: str) -> str:
    if source in columns:
        return source
    matches = [c for c in columns if normalise_header(c) == normalise_header(source)]
    if len(matches) == 1:
        return matches[0]
    raise ImportFileError(
        f"--map {wanted}={source}: the file has no column '{source}'; "
        f"its columns are: {', '.join(columns)}."
    )


def parse_mapping_args(pairs: list[str]) -> dict[str, str]:
    """['customer_id=会员号', 'ordered_at=Date'] (as given to --map) -> a mapping dict."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        wanted, sep, source = pair.partition("=")
        if not sep or not wanted.strip() or not source.strip():
            raise ImportFileError(f"--map expects target=source, got '{pair}'.")
        mapping[wanted.strip()] = source.strip()
    return mapping
