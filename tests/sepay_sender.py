"""A local stand-in for SePay: it posts transactions as SePay's webhook documentation describes
them (developer.sepay.vn, "SePay Webhooks"): one JSON object per bank transaction, with
`Authorization: Apikey <key>`, over real HTTP, and reads the answer as SePay does (a 2xx within
5 s is delivered, anything else is retried, up to 7 times)."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from itertools import count

TIMEOUT = 5
RETRIES = 7


@dataclass
class Answer:
    status: int
    body: dict | None

    @property
    def delivered(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class SepaySender:
    url: str
    key: str
    account_number: str
    gateway: str = "Vietcombank"
    _ids: count = field(default_factory=lambda: count(92704))

    def transaction(self, **fields) -> dict:
        """The documented body for money in to the stall's account; `fields` override any field."""
        body = {
            "id": next(self._ids),
            "gateway": self.gateway,
            "transactionDate": "2026-12-01 14:02:37",
            "accountNumber": self.account_number,
            "code": None,
            "content": "chuyen tien",
            "transferType": "in",
            "transferAmount": 0,
            "accumulated": 19077000,
            "subAccount": None,
            "referenceCode": "MBVCB.3278907687",
            "description": "",
        }
        body.update(fields)
        return body

    def post(self, body, *, authorization: str | None = None, content_type="application/json") -> Answer:
        """One delivery attempt of `body` (a dict is written as JSON, bytes go as they are)."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": content_type}
        authorization = f"Apikey {self.key}" if authorization is None else authorization
        if authorization:
            headers["Authorization"] = authorization
        request = urllib.request.Request(self.url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return Answer(response.status, _json(response.read()))
        except urllib.error.HTTPError as error:
            return Answer(error.code, _json(error.read()))

    def deliver(self, body: dict) -> list[Answer]:
        """As SePay delivers: try, and try again while the answer is not a 2xx."""
        answers = [self.post(body)]
        while not answers[-1].delivered and len(answers) <= RETRIES:
            answers.append(self.post(body))
        return answers


def _json(raw: bytes) -> dict | None:
    try:
        return json.loads(raw)
    except ValueError:
        return None
