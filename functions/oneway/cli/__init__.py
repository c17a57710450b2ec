"""The `oneway` command line: administration of a deployment (never deployed to Lambda)."""
