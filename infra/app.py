#!/usr/bin/env python3
"""Oneway CDK app: `npx cdk synth` / `make synth`, `make deploy`.

Context (cdk.json or -c key=value): stackPrefix, stage, senderEmail,
retentionDays, siteDir, alarmEmail, domainName + certificateArn, waf (the web ACL),
threatProtection, nag (cdk-nag AwsSolutions checks; on unless false).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from oneway_infra.stack import build_app

if __name__ == "__main__":
    app, _ = build_app()
    app.synth()
