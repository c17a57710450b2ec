"""The other libraries' internals Oneway relies on, asserted exactly.

Oneway uses the libraries' public APIs where they have one: part URLs from botocore's
generate_presigned_url and its SigV4 query signer with the credentials of the client's session
(adapters/s3.py; the URLs are compared in tests/unit/test_presign.py), Powertools' resolver through
its public constructor, ``route`` and ``resolve`` (tests/integration/test_http_edge.py). What has no
public form is used in one module each, never deployed, and this file states the shape that module
relies on, so that a release that changes it fails here, by name, with the module to fix:

- oneway/local/moto_patches.py: the moto S3 and Cognito methods it replaces, and what they touch;
- oneway/local/aws.py: the moto objects its snapshot pickles, and moto's server application;
- oneway/local/__main__.py: moto's SES outbox (moto documents it as internal);
- oneway/local/aws_calls.py: botocore's client factory and request event (the IAM contract's record).
"""

from __future__ import annotations

import inspect
import pickle

import boto3
import pytest
from moto import mock_aws

ACCOUNT = "123456789012"


def params(function) -> list[str]:
    return list(inspect.signature(inspect.unwrap(function)).parameters)


@pytest.fixture
def moto_env(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        yield


# -- moto: S3 (moto_patches.s3_multipart_without_copies, s3_bodies_in_files; aws.py's snapshot) ------------


def test_moto_s3_methods_replaced_keep_their_signatures():
    from moto.s3 import models

    assert params(models.FakeMultipart.complete) == ["self", "body"]
    assert params(models.S3Backend.complete_multipart_upload) == ["self", "bucket_name", "multipart_id", "body"]
    put = inspect.signature(inspect.unwrap(models.S3Backend.put_object)).parameters
    assert "disable_notification" in put and put["disable_notification"].default is False
    assert isinstance(models.FakeKey.value, property) and models.FakeKey.value.fset is not None
    assert params(models.FakeKey.value.fset)[:2] == ["self", "new_value"]


def test_moto_s3_names_the_multipart_patch_imports():
    from moto.core.compat import HAS_CRT
    from moto.s3.exceptions import EntityTooSmall, InvalidPart, MalformedXML
    from moto.settings import S3_UPLOAD_PART_MIN_SIZE
    from moto.utilities.utils import md5_hash

    assert isinstance(HAS_CRT, bool) and isinstance(S3_UPLOAD_PART_MIN_SIZE, int)
    assert all(issubclass(e, Exception) for e in (EntityTooSmall, InvalidPart, MalformedXML))
    assert md5_hash(b"x").hexdigest()


def test_moto_s3_objects_and_uploads_have_the_attributes_relied_on(moto_env):
    from moto.backends import get_backend
    from moto.s3.models import FakeKey

    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="oneway-guard")
    s3.put_object(Bucket="oneway-guard", Key="k", Body=b"body")
    uid = s3.create_multipart_upload(Bucket="oneway-guard", Key="m")["UploadId"]
    s3.upload_part(Bucket="oneway-guard", Key="m", UploadId=uid, PartNumber=1, Body=b"part")

    backend = get_backend("s3")[ACCOUNT]["aws"]  # moto's S3 backend is global, under the partition's name
    key: FakeKey = backend.buckets["oneway-guard"].keys["k"]
    assert {"_value_buffer", "lock", "_max_buffer_size", "contentsize"} <= set(vars(key))
    with key.lock:  # a lock the snapshot and the multipart reader hold while they read the buffer
        key._value_buffer.seek(0)
        assert key._value_buffer.read() == b"body"
    upload = backend.buckets["oneway-guard"].multiparts[uid]
    assert dict(upload.metadata) is not None and set(upload.parts) == {1}
    part = upload.parts[1]
    assert part.etag and part.contentsize == 4 and part._value_buffer.readable()

    # The snapshot pickles an object's state without its buffer and lock, and rebuilds them from "value".
    state = key.__getstate__()
    assert "_value_buffer" not in state and "lock" not in state and state["value"] == b"body"
    again = type(key).__new__(type(key))
    assert isinstance(again, FakeKey)  # moto's BaseModel.__new__ is typed to make a BaseModel
    again.__setstate__(state)
    assert again.value == b"body" and pickle.loads(pickle.dumps(key)).value == b"body"


# -- moto: server and state (aws.py) ---------------------------------------------------------------------


def test_moto_server_application_and_backends():
    from moto import backends
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import WSGIRequestHandler

    assert params(DomainDispatcherApplication.__init__)[:2] == ["self", "create_app"]
    assert params(create_backend_app) == ["service"] and issubclass(MotoRequestHandler, WSGIRequestHandler)
    assert {"s3", "dynamodb", "cognitoidp", "ses", "sqs"} <= set(inspect.unwrap(backends.list_of_moto_modules)())
    for name in ("s3", "dynamodb", "sqs", "cognito-idp", "ses", "events", "transcribe"):  # aws.SERVICES
        assert hasattr(backends.get_backend(name), "items"), name  # account -> region -> backend


# -- moto: Cognito (moto_patches.cognito_challenges_like_aws, cognito_sessions_like_aws) --------------------


def _pool():
    idp = boto3.client("cognito-idp", region_name="us-east-1")
    pool = idp.create_user_pool(PoolName="p")["UserPool"]["Id"]
    client = idp.create_user_pool_client(UserPoolId=pool, ClientName="c", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"])
    return idp, pool, client["UserPoolClient"]["ClientId"]


def test_moto_cognito_methods_replaced_keep_their_signatures():
    from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUserPool

    assert params(CognitoIdpBackend.initiate_auth) == ["self", "client_id", "auth_flow", "auth_parameters"]
    assert params(CognitoIdpUserPool.sign_out) == ["self", "username"]
    assert params(CognitoIdpUserPool._get_user) == ["self", "username"]


def test_moto_cognito_still_lacks_what_the_patches_add(moto_env):
    """If moto now sends the challenge's attributes or implements RevokeToken, check its behaviour
    against Cognito's and drop the patch in oneway/local/moto_patches.py."""
    from moto.cognitoidp.models import CognitoIdpBackend, cognitoidp_backends
    from moto.cognitoidp.responses import CognitoIdpResponse

    own = CognitoIdpResponse.__dict__.get("revoke_token")
    assert own is None or own.__module__ == "oneway.local.moto_patches", "moto implements RevokeToken now"

    idp, pool, client = _pool()
    idp.admin_create_user(UserPoolId=pool, Username="new@example.com", TemporaryPassword="Temp-Pass-123", UserAttributes=[{"Name": "email", "Value": "new@example.com"}])
    backend = cognitoidp_backends[ACCOUNT]["us-east-1"]
    answer = inspect.unwrap(CognitoIdpBackend.initiate_auth)(
        backend, client, "USER_PASSWORD_AUTH", {"USERNAME": "new@example.com", "PASSWORD": "Temp-Pass-123"}
    )
    assert answer["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert "userAttributes" not in answer["ChallengeParameters"], "moto sends the challenge's userAttributes now"

    # What the patches read and write.
    user_pool = backend.user_pools[pool]
    assert client in user_pool.clients and isinstance(user_pool.refresh_tokens, dict) and isinstance(user_pool.access_tokens, dict)
    user = user_pool._get_user("new@example.com")
    assert {"Name": "email", "Value": "new@example.com"} in user.attributes
    assert callable(CognitoIdpResponse._get_param) and "backend" in dir(CognitoIdpResponse)


def test_moto_cognito_token_tables_hold_client_and_user(moto_env):
    """sign_out and revoke_token read refresh tokens as (client, user, jti) and access tokens as (client, user)."""
    from moto.cognitoidp.models import cognitoidp_backends

    idp, pool, client = _pool()
    idp.admin_create_user(UserPoolId=pool, Username="u@example.com", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool, Username="u@example.com", Password="Pass-word-1234", Permanent=True)
    idp.initiate_auth(ClientId=client, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": "u@example.com", "PASSWORD": "Pass-word-1234"})
    user_pool = cognitoidp_backends[ACCOUNT]["us-east-1"].user_pools[pool]
    (refresh,) = user_pool.refresh_tokens.values()
    (access,) = user_pool.access_tokens.values()
    assert refresh is not None and refresh[:2] == (client, "u@example.com") and len(refresh) == 3
    assert access == (client, "u@example.com")


# -- moto: Cognito's password recovery (moto_patches.cognito_recovery_like_aws) ----------------------------


def test_moto_cognito_recovery_methods_keep_their_signatures():
    from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUser, UserStatus

    assert params(CognitoIdpBackend.forgot_password) == ["self", "client_id", "username"]
    assert params(CognitoIdpBackend.confirm_forgot_password) == ["self", "client_id", "username", "password", "confirmation_code"]
    assert params(CognitoIdpBackend.admin_reset_user_password) == ["self", "user_pool_id", "username"]
    assert params(CognitoIdpBackend.admin_create_user) == ["self", "user_pool_id", "username", "message_action", "temporary_password", "attributes"]
    assert {"RESET_REQUIRED", "CONFIRMED", "FORCE_CHANGE_PASSWORD"} <= set(UserStatus.__members__)
    user = CognitoIdpUser("pool", "u", "Pass-word-1234", UserStatus.CONFIRMED, [{"Name": "email", "Value": "u@example.com"}])
    assert user.confirmation_code is None and user.attribute_lookup["email"] == "u@example.com"


def test_moto_cognito_still_lacks_what_the_recovery_patch_adds(moto_env):
    """If moto now mails recovery codes, refuses the sign-in of a reset account or resends an invitation to the same
    account, check its behaviour against Cognito's and drop that part of cognito_recovery_like_aws."""
    from moto.cognitoidp.models import CognitoIdpBackend, cognitoidp_backends
    from moto.ses.models import ses_backends

    idp, pool, client = _pool()
    idp.admin_create_user(UserPoolId=pool, Username="u@example.com", MessageAction="SUPPRESS", UserAttributes=[{"Name": "email", "Value": "u@example.com"}, {"Name": "email_verified", "Value": "true"}])
    idp.admin_set_user_password(UserPoolId=pool, Username="u@example.com", Password="Pass-word-1234", Permanent=True)
    backend = cognitoidp_backends[ACCOUNT]["us-east-1"]
    inspect.unwrap(CognitoIdpBackend.forgot_password)(backend, client, "u@example.com")
    assert ses_backends[ACCOUNT]["us-east-1"].sent_messages == [], "moto emails recovery codes now"
    inspect.unwrap(CognitoIdpBackend.admin_reset_user_password)(backend, pool, "u@example.com")
    answer = inspect.unwrap(CognitoIdpBackend.initiate_auth)(backend, client, "USER_PASSWORD_AUTH", {"USERNAME": "u@example.com", "PASSWORD": "Pass-word-1234"})
    assert "AuthenticationResult" in answer, "moto refuses a reset account's sign-in now"
    before = backend.user_pools[pool]._get_user("u@example.com")
    inspect.unwrap(CognitoIdpBackend.admin_create_user)(backend, pool, "u@example.com", "RESEND", "Temp-Pass-123", [])
    assert backend.user_pools[pool]._get_user("u@example.com") is not before, "moto resends to the same account now"


# -- moto: SES outbox (local/__main__.py's /dev/outbox) ----------------------------------------------------


def test_moto_ses_keeps_sent_messages_with_their_fields(moto_env):
    from moto.ses.models import ses_backends

    ses = boto3.client("ses", region_name="us-east-1")
    ses.verify_email_identity(EmailAddress="from@example.com")
    ses.send_email(
        Source="from@example.com",
        Destination={"ToAddresses": ["to@example.com"]},
        Message={"Subject": {"Data": "Hello"}, "Body": {"Text": {"Data": "Body"}}},
    )
    (message,) = ses_backends[ACCOUNT]["us-east-1"].sent_messages
    assert (message.destinations["ToAddresses"], message.subject, message.body, message.source) == (["to@example.com"], "Hello", "Body", "from@example.com")


def test_moto_ses_keeps_one_body_and_the_patch_keeps_both(moto_env):
    """moto keeps the HTML body alone when a message has both (so the local outbox would lose the text
    alternative); moto_patches.ses_keeps_both_bodies keeps each part beside it."""
    from moto.ses.models import ses_backends
    from moto.ses.responses import EmailResponse

    from oneway.local import moto_patches

    assert [p.name for p in inspect.signature(inspect.unwrap(EmailResponse.send_email)).parameters.values()] == ["self"]
    moto_patches.ses_keeps_both_bodies()
    ses = boto3.client("ses", region_name="us-east-1")
    ses.verify_email_identity(EmailAddress="from@example.com")
    ses.send_email(
        Source="from@example.com",
        Destination={"ToAddresses": ["to@example.com"]},
        Message={"Subject": {"Data": "Hello"}, "Body": {"Text": {"Data": "Plain"}, "Html": {"Data": "<p>Rich</p>"}}},
    )
    (message,) = ses_backends[ACCOUNT]["us-east-1"].sent_messages
    assert message.body == "<p>Rich</p>", "moto keeps the text body of a message with both now"
    assert (message.text, message.html) == ("Plain", "<p>Rich</p>")


# -- botocore: the record of AWS calls (aws_calls.py) --------------------------------------------------------


def test_botocore_clients_come_from_one_factory_and_announce_each_request():
    from botocore import client as botocore_client

    assert params(botocore_client.ClientCreator.create_client)[:2] == ["self", "service_name"]
    seen = []
    s3 = boto3.session.Session(aws_access_key_id="A", aws_secret_access_key="s").client("s3", region_name="eu-west-1")
    s3.meta.events.register("before-parameter-build", lambda params, model, context=None, **_: seen.append((model.service_model.signing_name, model.name, params, context)))
    s3.generate_presigned_url("upload_part", Params={"Bucket": "b", "Key": "k", "UploadId": "u", "PartNumber": 2})
    ((service, operation, sent, context),) = seen
    assert (service, operation, sent["Bucket"], sent["Key"]) == ("s3", "UploadPart", "b", "k")
    assert context["is_presign_request"] is True


def test_the_record_hooks_every_client_made_after_it_starts(monkeypatch):
    from oneway.local import aws_calls

    monkeypatch.setattr(aws_calls, "_active", [])  # this made-up call stays out of the session's record (tests/contract)
    recorder = aws_calls.start(aws_calls.Recorder())
    try:
        path = next(p for p, name in aws_calls.FUNCTIONS.items() if name == "public_api")
        namespace: dict = {"boto3": boto3}
        source = "def lambda_handler():\n    s3 = boto3.session.Session(aws_access_key_id='A', aws_secret_access_key='s').client('s3', region_name='eu-west-1')\n    return s3.generate_presigned_url('upload_part', Params={'Bucket': 'b', 'Key': 'k', 'UploadId': 'u', 'PartNumber': 1})\n"
        exec(compile(source, path, "exec"), namespace)
        namespace["lambda_handler"]()
    finally:
        aws_calls.stop(recorder)
    assert [(c["function"], c["operation"], c.get("presigned")) for c in recorder.calls] == [("public_api", "UploadPart", True)]


# -- botocore: the part URLs' signer (adapters/s3.py; tests/unit/test_presign.py compares its URLs) ------------


def test_botocore_sigv4_query_signer_and_request_take_what_the_s3_adapter_passes():
    from botocore.auth import S3SigV4QueryAuth
    from botocore.awsrequest import AWSRequest

    assert params(S3SigV4QueryAuth.__init__)[:5] == ["self", "credentials", "service_name", "region_name", "expires"]
    assert {"method", "url", "params", "headers"} <= set(params(AWSRequest.__init__))
    credentials = boto3.session.Session(aws_access_key_id="A", aws_secret_access_key="s").get_credentials()
    assert credentials is not None
    assert credentials.get_frozen_credentials().access_key == "A"


# -- moto: DynamoDB streams (moto_patches.dynamodb_transactions_without_copying_streams) ---------------------


def _streamed_table():
    ddb = boto3.client("dynamodb", region_name="us-east-1")
    ddb.create_table(
        TableName="t", BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )
    return ddb


def test_moto_stream_shards_hold_what_the_copy_keeps():
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import StreamShard

    assert params(StreamShard.__init__) == ["self", "account_id", "table"]
    assert "copy.deepcopy" in inspect.getsource(DynamoDBBackend.transact_write_items), "the rollback copy the patch makes cheap"


def test_a_transaction_copies_no_stream_record_and_a_rolled_back_one_leaves_none(moto_env):
    from moto.dynamodb.models import dynamodb_backends

    from oneway.local import moto_patches

    moto_patches.dynamodb_transactions_without_copying_streams()
    ddb = _streamed_table()
    for i in range(3):
        ddb.put_item(TableName="t", Item={"pk": {"S": f"a{i}"}})
    shard = dynamodb_backends[ACCOUNT]["us-east-1"].tables["t"].stream_shard
    assert shard is not None, "the table streams"
    before = list(shard.items)

    ddb.transact_write_items(TransactItems=[{"Put": {"TableName": "t", "Item": {"pk": {"S": "b"}}}}])
    shard = dynamodb_backends[ACCOUNT]["us-east-1"].tables["t"].stream_shard
    assert shard is not None
    assert shard.items[:3] == before and all(a is b for a, b in zip(shard.items, before, strict=False)), "the records are shared, not copied"
    assert len(shard.items) == 4

    with pytest.raises(ddb.exceptions.TransactionCanceledException):
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": "t", "Item": {"pk": {"S": "c"}}}},
            {"Put": {"TableName": "t", "Item": {"pk": {"S": "a0"}}, "ConditionExpression": "attribute_not_exists(pk)"}},
        ])
    table = dynamodb_backends[ACCOUNT]["us-east-1"].tables["t"]
    assert table.stream_shard is not None
    assert len(table.stream_shard.items) == 4, "the canceled transaction's put left no record"
    assert table.stream_shard.table is table
    assert ddb.get_item(TableName="t", Key={"pk": {"S": "c"}}).get("Item") is None
