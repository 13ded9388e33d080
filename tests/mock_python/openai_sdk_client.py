"""The official `openai` Python package against the generated mock, unchanged.

Run by tests/mock_python_sdk.rs with MOCK_BASE_URL and MOCK_API_KEY set. It uses the SDK's
low-level calls (`client.post`, `client.get`, `client.delete`, `client.get_api_list` with
the SDK's own cursor page) and its error classes, as code written against the real API
would. Any failed assertion exits non-zero with a traceback.
"""

import os

import openai
from openai._models import BaseModel
from openai.pagination import SyncCursorPage


# The SDK's cursor page reads `id` from its items to follow `after`.
class Invite(BaseModel):
    id: str
    email: str
    role: str
    status: str
    created_at: int


base_url = os.environ["MOCK_BASE_URL"]
key = os.environ["MOCK_API_KEY"]
client = openai.OpenAI(api_key=key, base_url=base_url, max_retries=0)

created = []
for name in ["ada", "grace", "linus"]:
    invite = client.post(
        "/organization/invites",
        body={"email": f"{name}@example.com", "role": "reader"},
        cast_to=Invite,
    )
    assert invite.email == f"{name}@example.com", invite
    created.append(invite)
assert len({invite.id for invite in created}) == 3, created

# The SDK's own cursor pagination (after = last item's id, until has_more is false).
page = client.get_api_list(
    "/organization/invites",
    model=Invite,
    page=SyncCursorPage[Invite],
    options={"params": {"limit": 2}},
)
assert [i.id for i in page.data] == [i.id for i in created[:2]], page
assert page.has_more is True, page
streamed = [invite.id for page in page.iter_pages() for invite in page.data]
assert streamed == [i.id for i in created], streamed

fetched = client.get(f"/organization/invites/{created[0].id}", cast_to=Invite)
assert fetched.email == "ada@example.com", fetched

deleted = client.delete(f"/organization/invites/{created[0].id}", cast_to=object)
assert deleted["deleted"] is True and deleted["id"] == created[0].id, deleted

try:
    client.get(f"/organization/invites/{created[0].id}", cast_to=Invite)
    raise AssertionError("a deleted invite was found")
except openai.NotFoundError as error:
    assert error.status_code == 404

try:
    client.post(
        "/organization/invites",
        body={"email": "x@example.com", "role": "admin"},
        cast_to=Invite,
    )
    raise AssertionError("role=admin was accepted")
except openai.BadRequestError as error:
    assert error.param == "role", error.body
    assert error.type == "invalid_request_error", error.body

wrong = openai.OpenAI(api_key="sk-wrong", base_url=base_url, max_retries=0)
try:
    wrong.get("/organization/invites", cast_to=object)
    raise AssertionError("a wrong key was accepted")
except openai.AuthenticationError as error:
    assert error.status_code == 401
    assert error.code == "invalid_api_key", error.body

print("openai-python against the mock: ok")
