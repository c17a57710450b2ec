# Oneway infrastructure (AWS CDK, Python). Included by the root Makefile,
# which defines VENV, PY and the `venv` target (tests: `make test-infra`).
#   make synth     offline: no AWS account or credentials needed
#   make deploy    builds web/ (target `web`), needs AWS credentials and a bootstrapped account
#   make destroy
# Pass CDK options with CDK_ARGS, e.g. make synth CDK_ARGS='-c nag=false -c stackPrefix=demo'.

CDK_ARGS ?=
CDK := JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20 npx --no-install cdk

.PHONY: synth deploy destroy

node_modules/.bin/cdk: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

## synth: the CloudFormation template into cdk.out, offline, with cdk-nag (CDK_ARGS='-c key=value ...')
synth: venv node_modules/.bin/cdk
	$(CDK) synth --quiet $(CDK_ARGS)

## deploy: build the web app, then cdk deploy (AWS credentials; once per account: npx cdk bootstrap)
deploy: venv web node_modules/.bin/cdk
	$(CDK) deploy --require-approval broadening $(CDK_ARGS)

## destroy: cdk destroy (data buckets, table and user pool are retained)
destroy: venv node_modules/.bin/cdk
	$(CDK) destroy $(CDK_ARGS)
