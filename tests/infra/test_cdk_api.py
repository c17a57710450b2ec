"""HTTP API: routes, JWT authorizer, throttling, access logs."""

from __future__ import annotations

from tests.infra.infra_support import getatt, logical_id, of_type, props


def _routes(resources):
    return {props(r)["RouteKey"]: props(r) for r in of_type(resources, "AWS::ApiGatewayV2::Route").values()}


def test_the_seven_routes(resources):
    assert set(_routes(resources)) == {
        "GET /api/health", "GET /api/openapi.json", "ANY /api/c/{proxy+}", "GET /api/share/{proxy+}", "PUT /api/share/{proxy+}",
        "GET /api/brand/{proxy+}", "ANY /api/{proxy+}",
    }


def test_jwt_authorizer_on_recruiter_routes_only(resources, stack):
    (authorizer_id, _authorizer), = of_type(resources, "AWS::ApiGatewayV2::Authorizer").items()
    routes = _routes(resources)
    recruiter = routes["ANY /api/{proxy+}"]
    assert recruiter["AuthorizationType"] == "JWT"
    assert recruiter["AuthorizerId"] == {"Ref": authorizer_id}
    # Access tokens only: an ID token of the same app client passes the audience check, but carries no scope.
    assert recruiter["AuthorizationScopes"] == ["aws.cognito.signin.user.admin"]
    for key in ("GET /api/health", "GET /api/openapi.json", "ANY /api/c/{proxy+}", "GET /api/share/{proxy+}", "PUT /api/share/{proxy+}", "GET /api/brand/{proxy+}"):
        assert routes[key]["AuthorizationType"] == "NONE", key
        assert "AuthorizerId" not in routes[key], key


def test_authorizer_trusts_this_user_pool_and_app_client(resources, stack):
    (authorizer,) = of_type(resources, "AWS::ApiGatewayV2::Authorizer").values()
    p = props(authorizer)
    assert p["AuthorizerType"] == "JWT"
    assert p["IdentitySource"] == ["$request.header.Authorization"]
    assert p["JwtConfiguration"] == {
        "Audience": [{"Ref": logical_id(stack, stack.auth.client)}],
        "Issuer": {
            "Fn::Join": [
                "",
                ["https://cognito-idp.", {"Ref": "AWS::Region"}, ".amazonaws.com/", {"Ref": logical_id(stack, stack.auth.user_pool)}],
            ]
        },
    }


def test_each_route_goes_to_its_audiences_function_with_payload_v2(resources, stack):
    """Candidate and share routes, health and the OpenAPI document to the public function; the recruiters' to the staff one."""
    integrations = {}
    for integration_id, integration in of_type(resources, "AWS::ApiGatewayV2::Integration").items():
        p = props(integration)
        assert p["IntegrationType"] == "AWS_PROXY" and p["PayloadFormatVersion"] == "2.0"
        integrations[integration_id] = p["IntegrationUri"]
    assert sorted(map(str, integrations.values())) == sorted(map(str, [getatt(stack, stack.api.public.function), getatt(stack, stack.api.staff.function)]))
    public = {
        "GET /api/health", "GET /api/openapi.json", "ANY /api/c/{proxy+}", "GET /api/share/{proxy+}", "PUT /api/share/{proxy+}", "GET /api/brand/{proxy+}"
    }
    routes = _routes(resources)
    assert set(routes) == public | {"ANY /api/{proxy+}"}
    for key, route in routes.items():
        (integration_id,) = [i for i in integrations if route["Target"] == {"Fn::Join": ["", ["integrations/", {"Ref": i}]]}]
        expected = stack.api.public if key in public else stack.api.staff
        assert integrations[integration_id] == getatt(stack, expected.function), key


def test_stage_throttles_from_the_load_model(resources):
    """A cohort of 1,000 finishing in the same minute fits the candidate routes' budget; share links get a small one."""
    from oneway_infra import sizes

    (stage,) = of_type(resources, "AWS::ApiGatewayV2::Stage").values()
    p = props(stage)
    assert p["StageName"] == "$default" and p["AutoDeploy"] is True
    default = p["DefaultRouteSettings"]
    candidate = p["RouteSettings"]["ANY /api/c/{proxy+}"]
    share = p["RouteSettings"]["GET /api/share/{proxy+}"]
    assert p["RouteSettings"]["PUT /api/share/{proxy+}"] == share  # a guest's opinion: the share links' budget
    assert p["RouteSettings"]["GET /api/brand/{proxy+}"] == share  # logos: the share links' budget
    finishing = sizes.COHORT_CANDIDATES * sizes.REQUESTS_PER_FINISH
    assert candidate["ThrottlingRateLimit"] * sizes.FINISH_WINDOW_SECONDS >= finishing
    assert candidate["ThrottlingBurstLimit"] >= 2 * candidate["ThrottlingRateLimit"]
    assert 0 < share["ThrottlingRateLimit"] < candidate["ThrottlingRateLimit"]
    assert default["ThrottlingRateLimit"] > 0 and default["ThrottlingBurstLimit"] > 0
    # Within API Gateway's default account quota of 10,000 requests per second per region
    # (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
    assert default["ThrottlingRateLimit"] + candidate["ThrottlingRateLimit"] + share["ThrottlingRateLimit"] <= 10_000


def test_the_load_model():
    from oneway_infra import sizes

    assert sizes.candidate_throttle(1000, 6, 60) == (100, 200)
    assert sizes.candidate_throttle(10, 6, 60) == (1, 2)


def test_stage_is_created_after_the_route_it_throttles(resources):
    (stage,) = of_type(resources, "AWS::ApiGatewayV2::Stage").values()
    candidate_route = next(
        k for k, r in of_type(resources, "AWS::ApiGatewayV2::Route").items() if props(r)["RouteKey"] == "ANY /api/c/{proxy+}"
    )
    assert candidate_route in stage["DependsOn"]


def test_stage_writes_json_access_logs(resources, stack):
    (stage,) = of_type(resources, "AWS::ApiGatewayV2::Stage").values()
    logs = props(stage)["AccessLogSettings"]
    assert logs["DestinationArn"] == getatt(stack, stack.api.access_logs)
    assert "$context.requestId" in logs["Format"] and "$context.status" in logs["Format"]


def test_no_cors_on_the_api(resources):
    (api,) = of_type(resources, "AWS::ApiGatewayV2::Api").values()
    assert "CorsConfiguration" not in props(api)
    assert props(api)["ProtocolType"] == "HTTP"


def test_the_staff_function_creates_member_accounts_in_this_user_pool_only(resources, stack):
    fn = props(resources[logical_id(stack, stack.api.staff.function)])
    pool = {"Ref": logical_id(stack, stack.auth.user_pool)}
    assert fn["Environment"]["Variables"]["ONEWAY_USER_POOL_ID"] == pool
    statements = [
        st
        for policy in of_type(resources, "AWS::IAM::Policy").values()
        for st in props(policy)["PolicyDocument"]["Statement"]
        if "cognito-idp:AdminCreateUser" in (st["Action"] if isinstance(st["Action"], list) else [st["Action"]])
    ]
    assert len(statements) == 1
    assert statements[0]["Resource"] == getatt(stack, stack.auth.user_pool)
    assert sorted(statements[0]["Action"]) == [
        "cognito-idp:AdminCreateUser", "cognito-idp:AdminDeleteUser", "cognito-idp:AdminDisableUser",
        "cognito-idp:AdminGetUser", "cognito-idp:AdminResetUserPassword", "cognito-idp:AdminSetUserMFAPreference", "cognito-idp:AdminUserGlobalSignOut",
    ]
