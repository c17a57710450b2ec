"""`make dev LAN=1`: the stack on a network address over https, with a certificate made on this machine.

The network address here is 127.0.0.2 (another address of this machine, apart from the loopback one the
embedded AWS listens on). An https client that trusts only the stack's certificate file gets answers; the
usual trust store refuses it; plain http gets nothing. The embedded AWS is not on that address, the /dev
pages still want the run's key, the user pool answers sign-in calls only, and a candidate's answer goes
up through presigned URLs that point at the site, whose S3 gate forwards only what the API signed."""

from __future__ import annotations

import socket

import pytest
import requests
from cryptography import x509

from tests.support.client import Api, token_from
from tests.support.stack import start_stack

LAN = "127.0.0.2"


def api(stack, token: str) -> Api:
    return Api(stack.url, token, verify=stack.verify)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lan")
    site = tmp / "site"
    (site / "c").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>review</title>")
    (site / "c" / "index.html").write_text("<!doctype html><title>candidate</title>")
    s = start_stack(tmp / "state", site_dir=site, lan_host=LAN)
    yield s
    s.stop()


def test_https_on_the_network_address_with_the_stacks_own_certificate(stack):
    cert = stack.state_dir / "tls" / "cert.pem"
    assert stack.url.startswith(f"https://{LAN}:") and stack.verify == str(cert)
    names = x509.load_pem_x509_certificate(cert.read_bytes()).extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert LAN in {str(a) for a in names.get_values_for_type(x509.IPAddress)}
    # Verified against the generated certificate, and only against it.
    assert requests.get(f"{stack.url}/api/health", timeout=5, verify=str(cert)).json() == {"status": "ok"}
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"{stack.url}/api/health", timeout=5)
    with pytest.raises(requests.ConnectionError):
        requests.get(stack.url.replace("https://", "http://") + "/api/health", timeout=5)
    # The site and its links name the https address; the browser signs in through the site, not at the embedded AWS.
    cfg = stack.config()
    assert cfg["apiUrl"] == stack.url and cfg["cognitoEndpoint"] == f"{stack.url}/cognito"
    assert requests.get(f"{stack.url}/c/", timeout=5, verify=stack.verify).text.endswith("<title>candidate</title>")


def test_the_embedded_aws_stays_on_loopback_and_the_dev_pages_want_their_key(stack):
    aws_port = int(stack.aws_endpoint.rsplit(":", 1)[1])
    with pytest.raises(ConnectionRefusedError), socket.create_connection((LAN, aws_port), timeout=2):
        pass
    v = stack.verify
    # The site's address answers no AWS call: not DynamoDB at its root, not S3 without the API's signature.
    table = {"X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0"}
    answer = requests.post(f"{stack.url}/", data="{}", headers=table, timeout=5, verify=v)
    assert "TableNames" not in answer.text and answer.text.endswith("<title>review</title>")  # the site's page, nothing else
    assert requests.get(f"{stack.url}/s3/oneway-uploads", timeout=5, verify=v).status_code == 403
    assert requests.get(f"{stack.url}/s3/oneway-media/any/key?X-Amz-Signature=0", timeout=5, verify=v).status_code == 403
    # The user pool through the site: sign-in calls only, no admin call.
    admin = {"X-Amz-Target": "AWSCognitoIdentityProviderService.AdminCreateUser", "Content-Type": "application/x-amz-json-1.1"}
    assert requests.post(f"{stack.url}/cognito", data="{}", headers=admin, timeout=5, verify=v).status_code == 403
    assert api(stack, stack.sign_in()).get("/api/me")["email"] == stack.email  # signed in through /cognito
    # The outbox still wants this run's key.
    assert requests.get(f"{stack.url}/dev/outbox", timeout=5, verify=v).status_code == 403
    assert requests.get(f"{stack.url}/dev/outbox.json?key=guess", timeout=5, verify=v).status_code == 403
    assert requests.get(stack.outbox_url.replace("/dev/outbox?", "/dev/outbox.json?"), timeout=5, verify=v).status_code == 200


def test_a_candidate_on_the_network_uploads_through_the_site(stack):
    recruiter = api(stack, stack.sign_in())
    made = recruiter.post("/api/interviews", {"title": "Phone", "questions": [{"prompt": "Hi?", "kind": "video", "answerSeconds": 30}]}, expect=201)
    inv = recruiter.post(f"/api/interviews/{made['interviewId']}/invitations", {"candidates": [{"name": "Pho", "email": "pho@example.com"}], "sendEmail": False})
    link = inv["items"][0]["inviteUrl"]
    assert link.startswith(f"{stack.url}/c/#t=")
    cand = api(stack, token_from(link))
    cand.post("/api/c/consent", {"accepted": True})
    take = cand.post("/api/c/questions/q1/takes")
    data = b"\x1a\x45\xdf\xa3" + b"x" * 2000
    ticket = cand.post(f"/api/c/questions/q1/takes/{take['takeId']}/upload", {"contentType": "video/webm", "size": len(data)})
    url = ticket["parts"][0]["url"]
    assert url.startswith(f"{stack.url}/s3/"), url
    # Altered, the signed address is refused; as signed, the embedded S3 stores the part and its ETag comes back.
    assert requests.put(url.replace("partNumber=1", "partNumber=2"), data=data, timeout=10, verify=stack.verify).status_code == 403
    assert requests.put(url, data=data + b"!", timeout=10, verify=stack.verify).status_code == 403
    put = requests.put(url, data=data, timeout=10, verify=stack.verify)
    assert put.status_code == 200 and put.headers["ETag"]
    done = cand.post(f"/api/c/questions/q1/takes/{take['takeId']}/complete", {"parts": [{"partNumber": 1, "etag": put.headers["ETag"]}]})
    assert done["status"] == "processing"
