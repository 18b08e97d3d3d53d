"""Small official files for the import tests, in the layouts the real exports use.

The figures in them are test values, not real statistics; they never reach ``data/``.
"""

from __future__ import annotations

from pathlib import Path

CUSTOMS_HEADER = (
    "数据年月,商品编码,商品名称,贸易伙伴编码,贸易伙伴名称,第一数量,第一计量单位,"
    "第二数量,第二计量单位,美元"
)
CUSTOMS_ROWS = [
    '202506,85051110,稀土永磁铁,502,美国,"353,480",千克,,,"12,345,678"',
    '202506,85051110,稀土永磁铁,304,德国,"1,000,500",千克,,,"30,000,000"',
    "202506,85051110,稀土永磁铁,110,中国香港,2500,千克,,,90000",
]
COMTRADE_HEADER = (
    "typeCode,freqCode,refPeriodId,refYear,refMonth,period,reporterCode,reporterISO,flowCode,"
    "partnerCode,partnerISO,partnerDesc,partner2Code,cmdCode,customsCode,motCode,netWgt,"
    "isNetWgtEstimated,primaryValue"
)
COMTRADE_ROWS = [
    "C,M,20250601,2025,6,202506,156,CHN,X,0,W00,World,0,850511,C00,0,5200000,False,260000000",
    "C,M,20250601,2025,6,202506,156,CHN,X,842,USA,USA,0,850511,C00,0,412000,False,15000000",
    "C,M,20250601,2025,6,202506,156,CHN,X,276,DEU,Germany,0,850511,C00,0,1100000,True,40000000",
    "C,M,20250601,2025,6,202506,156,CHN,X,699,IND,India,0,850511,C00,0,,False,9000000",
    'C,M,20250601,2025,6,202506,156,CHN,X,899,_X,"Areas, nes",0,850511,C00,0,100,False,500',
]


def customs_text(rows: list[str] | None = None, header: str = CUSTOMS_HEADER) -> str:
    return "\n".join([header, *(CUSTOMS_ROWS if rows is None else rows)]) + "\n"


def comtrade_text(rows: list[str] | None = None, header: str = COMTRADE_HEADER) -> str:
    return "\n".join([header, *(COMTRADE_ROWS if rows is None else rows)]) + "\n"


def write(folder: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path
