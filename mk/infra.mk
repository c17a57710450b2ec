# Oneway infrastructure (AWS CDK, Python). Included by the root Makefile,
# which defines VENV, PY and the `venv` target (tests: `make test-infra`).
#   make synth     offline: no AWS account or credentials needed (cdk-nag on)
#   make bootstrap once per account and region; make diff, make deploy (builds web/ first), make destroy
# Outside us-east-1 the app has two stacks: <prefix> and <prefix>-edge (the web ACL, in us-east-1, where
# CloudFront's web ACLs live): bootstrap, deploy and destroy act on both.
#   make cost      the cost model (infra/oneway_infra/cost/); make cost-doc rewrites docs/cost.md
# docs/deploy.md walks through a first deployment.
# Pass CDK options with CDK_ARGS, e.g. make synth CDK_ARGS='-c nag=false -c stackPrefix=demo'.

CDK_ARGS ?=
CDK := JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 npx --no-install cdk
INFRA_PY := PYTHONPATH=$(CURDIR)/infra:$(CURDIR)/functions $(PY)

.PHONY: synth diff bootstrap deploy destroy cost cost-doc checkov

# checkov scans the synthesized template in tests/infra. It pins its own boto3, which Oneway's pin
# excludes, so it lives in a venv of its own, at the version of pyproject's dependency group "checkov".
CHECKOV_VENV := $(VENV)/checkov
CHECKOV_REQUIREMENT = $(shell $(PY) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["dependency-groups"]["checkov"])')

$(CHECKOV_VENV)/.installed: pyproject.toml $(VENV)/.installed
	@rm -rf $(CHECKOV_VENV)
	$(PY) -m venv $(CHECKOV_VENV)
	env -u PYTHONPATH $(CHECKOV_VENV)/bin/pip install -q --disable-pip-version-check '$(CHECKOV_REQUIREMENT)' 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
	@touch $@

## checkov: the template scanner that tests/infra runs (its own venv, .venv/checkov)
checkov: $(CHECKOV_VENV)/.installed

node_modules/.bin/cdk: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

## synth: the CloudFormation template into cdk.out, offline, with cdk-nag (CDK_ARGS='-c key=value ...')
synth: venv node_modules/.bin/cdk
	$(CDK) synth --quiet $(CDK_ARGS)

## diff: what `make deploy` would change in the deployed stack (AWS credentials)
diff: venv node_modules/.bin/cdk
	$(CDK) diff $(CDK_ARGS)

## bootstrap: once per account and region, the CDK's deployment bucket and roles (AWS credentials); every region the app's stacks use (us-east-1 too, for the web ACL)
bootstrap: venv node_modules/.bin/cdk
	$(CDK) bootstrap $(CDK_ARGS)

## deploy: build the web app, then cdk deploy every stack of the app (AWS credentials; once per account and region: make bootstrap)
deploy: venv web node_modules/.bin/cdk
	$(CDK) deploy --all --require-approval broadening $(CDK_ARGS)

## destroy: cdk destroy every stack of the app (data buckets, table and user pool are retained)
destroy: venv node_modules/.bin/cdk
	$(CDK) destroy --all $(CDK_ARGS)

## cost: what an answered minute and a 10-minute interview cost on AWS (from the real settings)
cost: venv
	$(INFRA_PY) -m oneway_infra.cost

## cost-doc: regenerate docs/cost.md from the cost model
cost-doc: venv
	$(INFRA_PY) -m oneway_infra.cost --write
