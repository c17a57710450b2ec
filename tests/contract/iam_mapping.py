"""From a recorded AWS call to the IAM requests AWS authorizes for it.

Most operations are authorized as the action of their own name on the resource they name.
The table below keeps the exceptions, each with the AWS page that says so; every request
built here is checked against the Service Authorization Reference (iam_sar.check): the
action exists, the ARN is of a resource type the SAR lists for it, the condition keys too.

| operation | IAM requests | source |
|---|---|---|
| S3 CreateMultipartUpload, UploadPart, CompleteMultipartUpload | s3:PutObject on the object | [S3-MPU] |
| S3 HeadObject | s3:GetObject on the object; s3:ListBucket on the bucket (s3:prefix = the key) so that a missing key answers 404, not 403 | [S3-HEAD] |
| S3 GetObject / HeadObject with VersionId | s3:GetObjectVersion | [S3-ACTIONS] |
| S3 ListObjectsV2 | s3:ListBucket on the bucket, s3:prefix | [S3-ACTIONS] |
| S3 ListObjectVersions | s3:ListBucketVersions on the bucket, s3:prefix | [S3-ACTIONS] |
| S3 ListParts | s3:ListMultipartUploadParts on the object | [S3-MPU] |
| S3 ListMultipartUploads | s3:ListBucketMultipartUploads on the bucket | [S3-MPU] |
| S3 DeleteObjects | s3:DeleteObject per key, and s3:DeleteObjectVersion per key with a VersionId | [S3-DELETE] |
| S3 CopyObject | s3:GetObject on the source, s3:PutObject on the target | [S3-COPY] |
| DynamoDB TransactWriteItems | PutItem / UpdateItem / DeleteItem / ConditionCheckItem per item | [DDB-TX] |
| DynamoDB BatchGetItem / BatchWriteItem | the action on each table it names | [SAR] |
| DynamoDB Query with IndexName | dynamodb:Query on table/T/index/I | [DDB-INDEX] |
| SQS SendMessageBatch / DeleteMessageBatch | sqs:SendMessage / sqs:DeleteMessage | [SQS-BATCH] |
| MediaConvert CreateJob | mediaconvert:CreateJob on its queue (Default when none); iam:PassRole on its Role with iam:PassedToService | [MC-CREATE], [PASSROLE] |
| Transcribe StartTranscriptionJob | transcribe:StartTranscriptionJob on "*" (transcribe:OutputBucketName, transcribe:OutputKey); without a DataAccessRoleArn Transcribe reads the media and writes the output with the caller's rights: s3:GetObject on the media, s3:PutObject on the transcript and its captions | [SAR-TRANSCRIBE], [TR-START] |
| SES SendEmail | ses:SendEmail on the sender's identity (its address or its domain, whichever is verified) and, in the sandbox, on each recipient's identity; ses:FromAddress, ses:Recipients | [SES-IAM], [SES-SANDBOX] |
| EventBridge PutEvents | events:PutEvents on the bus (default when none); events:source, events:detail-type | [SAR] |

[SAR] https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
[S3-ACTIONS] https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html
[S3-MPU] https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
[S3-HEAD] https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html (Permissions: 404 only with s3:ListBucket)
[S3-DELETE] https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
[S3-COPY] https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
[DDB-TX] https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
[DDB-INDEX] https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
[SQS-BATCH] https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html
[MC-CREATE] https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselementalmediaconvert.html
[PASSROLE] https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html
[SAR-TRANSCRIBE] https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazontranscribe.html
[TR-START] https://docs.aws.amazon.com/transcribe/latest/APIReference/API_StartTranscriptionJob.html (OutputBucketName, DataAccessRoleArn)
[SES-IAM] https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html
[SES-SANDBOX] https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.contract import iam_sar


@dataclass(frozen=True)
class Request:
    action: str
    resource: str
    context: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def context_dict(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.context}

    def __str__(self) -> str:
        ctx = ", ".join(f"{k}={'|'.join(v)}" for k, v in self.context)
        return f"{self.action} on {self.resource}" + (f" [{ctx}]" if ctx else "")


@dataclass
class Need:
    """One thing the call needs: any one of ``alternatives`` allowed."""

    alternatives: list[Request]
    why: str = ""

    def __str__(self) -> str:
        return " or ".join(map(str, self.alternatives)) + (f" ({self.why})" if self.why else "")


@dataclass(frozen=True)
class Place:
    partition: str = "aws"
    region: str = "us-east-1"
    account: str = "000000000000"


def request(action: str, resource: str, **context: Any) -> Request:
    ctx = tuple(sorted((k, tuple(v if isinstance(v, (list, tuple)) else [v])) for k, v in context.items() if v is not None))
    req = Request(action, resource, ctx)
    iam_sar.check(action, resource, {k for k, _ in ctx})
    return req


@dataclass
class Mapper:
    place: Place = field(default_factory=Place)

    # -- ARNs ---------------------------------------------------------------------------------
    def s3(self, bucket: str, key: str | None = None) -> str:
        return f"arn:{self.place.partition}:s3:::{bucket}" + (f"/{key}" if key is not None else "")

    def regional(self, service: str, resource: str) -> str:
        p = self.place
        return f"arn:{p.partition}:{service}:{p.region}:{p.account}:{resource}"

    def queue_arn(self, url: str) -> str:
        # https://sqs.<region>.amazonaws.com/<account>/<name>
        *_, account, name = url.rstrip("/").split("/")
        return f"arn:{self.place.partition}:sqs:{self.place.region}:{account}:{name}"

    # -- the table ------------------------------------------------------------------------------
    def needs(self, call: dict[str, Any]) -> list[Need]:
        service, op, p = call["service"], call["operation"], call["params"]
        method = getattr(self, f"_{service.replace('-', '_')}", None)
        if method is None:
            raise NotImplementedError(f"no IAM mapping for the service {service} ({op})")
        return method(op, p)

    def _one(self, action: str, resource: str, why: str = "", /, **context: Any) -> Need:
        return Need([request(action, resource, **context)], why)

    def _s3(self, op: str, p: dict[str, Any]) -> list[Need]:
        bucket, key = p["Bucket"], p.get("Key")
        version = p.get("VersionId")
        obj = lambda action, why="": self._one(action, self.s3(bucket, key), why)  # noqa: E731
        if op in ("CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload", "PutObject"):
            return [obj("s3:PutObject")]
        if op == "GetObject":
            return [obj("s3:GetObjectVersion" if version else "s3:GetObject")]
        if op == "HeadObject":
            return [
                obj("s3:GetObjectVersion" if version else "s3:GetObject"),
                self._one("s3:ListBucket", self.s3(bucket), "a missing key answers 404 only with s3:ListBucket", **{"s3:prefix": key}),
            ]
        if op == "ListObjectsV2" or op == "ListObjects":
            return [self._one("s3:ListBucket", self.s3(bucket), **{"s3:prefix": p.get("Prefix", "")})]
        if op == "ListObjectVersions":
            return [self._one("s3:ListBucketVersions", self.s3(bucket), **{"s3:prefix": p.get("Prefix", "")})]
        if op == "ListParts":
            return [obj("s3:ListMultipartUploadParts")]
        if op == "ListMultipartUploads":
            return [self._one("s3:ListBucketMultipartUploads", self.s3(bucket))]
        if op == "AbortMultipartUpload":
            return [obj("s3:AbortMultipartUpload")]
        if op == "DeleteObject":
            return [obj("s3:DeleteObjectVersion" if version else "s3:DeleteObject")]
        if op == "DeleteObjects":
            needs = []
            for o in p.get("Delete", []):
                needs.append(self._one("s3:DeleteObject", self.s3(bucket, o["Key"])))
                if o.get("VersionId"):
                    needs.append(self._one("s3:DeleteObjectVersion", self.s3(bucket, o["Key"])))
            return needs
        if op == "CopyObject":
            src = p["CopySource"]
            return [
                self._one("s3:GetObjectVersion" if src.get("VersionId") else "s3:GetObject", self.s3(src["Bucket"], src["Key"]), "the copy's source"),
                obj("s3:PutObject", "the copy"),
            ]
        if op == "HeadBucket":
            return [self._one("s3:ListBucket", self.s3(bucket))]
        raise NotImplementedError(f"no IAM mapping for s3 {op}")

    def _dynamodb(self, op: str, p: dict[str, Any]) -> list[Need]:
        table = lambda name: self.regional("dynamodb", f"table/{name}")  # noqa: E731
        if op == "TransactWriteItems":
            actions = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem", "ConditionCheck": "ConditionCheckItem"}
            return [self._one(f"dynamodb:{actions[i['op']]}", table(i["TableName"]), "an item of the transaction") for i in p["TransactItems"]]
        if op == "TransactGetItems":
            return [self._one("dynamodb:GetItem", table(i["TableName"])) for i in p["TransactItems"]]
        if op in ("BatchGetItem", "BatchWriteItem"):
            return [self._one(f"dynamodb:{op}", table(name)) for name in p["RequestItems"]]
        if op in ("Query", "Scan") and p.get("IndexName"):
            return [self._one(f"dynamodb:{op}", table(p["TableName"]) + f"/index/{p['IndexName']}")]
        return [self._one(f"dynamodb:{op}", table(p["TableName"]))]

    def _sqs(self, op: str, p: dict[str, Any]) -> list[Need]:
        action = {"SendMessageBatch": "SendMessage", "DeleteMessageBatch": "DeleteMessage"}.get(op, op)
        return [self._one(f"sqs:{action}", self.queue_arn(p["QueueUrl"]))]

    def _mediaconvert(self, op: str, p: dict[str, Any]) -> list[Need]:
        if op == "CreateJob":
            queue = p.get("Queue") or self.regional("mediaconvert", "queues/Default")
            return [
                self._one("mediaconvert:CreateJob", queue, "the job's queue"),
                self._one("iam:PassRole", p["Role"], "the job's role", **{"iam:PassedToService": "mediaconvert.amazonaws.com"}),
            ]
        if op in ("GetJob", "CancelJob"):
            return [self._one(f"mediaconvert:{op}", self.regional("mediaconvert", f"jobs/{p['Id']}"))]
        if op == "DescribeEndpoints":
            return [self._one("mediaconvert:DescribeEndpoints", "*")]
        raise NotImplementedError(f"no IAM mapping for mediaconvert {op}")

    def _transcribe(self, op: str, p: dict[str, Any]) -> list[Need]:
        if op == "StartTranscriptionJob":
            needs = [
                self._one(
                    "transcribe:StartTranscriptionJob",
                    "*",
                    **{"transcribe:OutputBucketName": p.get("OutputBucketName"), "transcribe:OutputKey": p.get("OutputKey")},
                )
            ]
            if p.get("DataAccessRoleArn"):
                return [*needs, self._one("iam:PassRole", p["DataAccessRoleArn"], **{"iam:PassedToService": "transcribe.amazonaws.com"})]
            media = p["MediaFileUri"].removeprefix("s3://").partition("/")
            needs.append(self._one("s3:GetObject", self.s3(media[0], media[2]), "Transcribe reads the media with the caller's rights"))
            if p.get("OutputBucketName"):
                key = p.get("OutputKey") or f"{p['TranscriptionJobName']}.json"
                for k in dict.fromkeys([key, key.rsplit(".", 1)[0] + ".vtt"]):
                    needs.append(self._one("s3:PutObject", self.s3(p["OutputBucketName"], k), "Transcribe writes its output with the caller's rights"))
            return needs
        if op in ("GetTranscriptionJob", "DeleteTranscriptionJob"):
            return [self._one(f"transcribe:{op}", self.regional("transcribe", f"transcription-job/{p['TranscriptionJobName']}"))]
        raise NotImplementedError(f"no IAM mapping for transcribe {op}")

    def _identities(self, address: str) -> list[str]:
        return [self.regional("ses", f"identity/{i}") for i in dict.fromkeys([address, address.rsplit("@", 1)[-1]])]

    def _ses(self, op: str, p: dict[str, Any]) -> list[Need]:
        if op not in ("SendEmail", "SendRawEmail"):
            raise NotImplementedError(f"no IAM mapping for ses {op}")
        action = f"ses:{op}"
        sender = p["Source"].rsplit("<", 1)[-1].rstrip(">")
        context = {"ses:FromAddress": sender, "ses:Recipients": p.get("Recipients", [])}
        needs = [Need([request(action, arn, **context) for arn in self._identities(sender)], "the sender's identity")]
        for recipient in p.get("Recipients", []):
            needs.append(Need([request(action, arn, **context) for arn in self._identities(recipient)], "a recipient's identity (SES sandbox)"))
        return needs

    def _events(self, op: str, p: dict[str, Any]) -> list[Need]:
        if op != "PutEvents":
            raise NotImplementedError(f"no IAM mapping for events {op}")
        return [
            self._one(
                "events:PutEvents",
                self.regional("events", f"event-bus/{e.get('EventBusName') or 'default'}"),
                **{"events:source": e.get("Source"), "events:detail-type": e.get("DetailType")},
            )
            for e in p["Entries"]
        ]

    def _cognito_idp(self, op: str, p: dict[str, Any]) -> list[Need]:
        return [self._one(f"cognito-idp:{op}", self.regional("cognito-idp", f"userpool/{p['UserPoolId']}"))]
