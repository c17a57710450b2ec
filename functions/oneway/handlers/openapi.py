"""Print the OpenAPI document: python -m oneway.handlers.openapi > web/openapi.json"""

from .api import openapi_document

if __name__ == "__main__":
    print(openapi_document())
