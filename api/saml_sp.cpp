#include "api/saml_sp.h"

#include "engine/mail.h"

// libxml2 first, outside lasso's extern "C" (its ICU headers are C++).
#include <libxml/tree.h>
#include <libxml/xmlIO.h>
#include <libxml/xpath.h>
#include <xmlsec/xmlsec.h>

#include <lasso/lasso.h>
#include <lasso/saml-2.0/saml2_helper.h>
#include <lasso/xml/saml-2.0/samlp2_authn_request.h>
#include <lasso/xml/misc_text_node.h>
#include <lasso/xml/saml-2.0/saml2_assertion.h>
#include <lasso/xml/saml-2.0/saml2_attribute.h>
#include <lasso/xml/saml-2.0/saml2_attribute_statement.h>
#include <lasso/xml/saml-2.0/saml2_attribute_value.h>
#include <lasso/xml/saml-2.0/saml2_name_id.h>
#include <lasso/xml/saml-2.0/saml2_subject.h>

#include <memory>
#include <mutex>

namespace slate::api::saml {
namespace {

// lasso, libxml2 and xmlsec keep global state: one SAML operation at a time.
std::mutex lasso_mutex;

void init_lasso() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (lasso_init() != 0)
            throw SamlError("the SAML library cannot start");
    });
}

struct Unref {
    void operator()(void* object) const {
        if (object)
            g_object_unref(object);
    }
};
using ServerPtr = std::unique_ptr<LassoServer, Unref>;
using LoginPtr = std::unique_ptr<LassoLogin, Unref>;

std::string lasso_reason(int rc) {
    const char* text = lasso_strerror(rc);
    return text ? text : "error " + std::to_string(rc);
}

/// A lasso server for the service provider, knowing the identity provider of `idp_metadata`.
ServerPtr service_provider(const ServiceProvider& sp, const std::string& idp_metadata, std::string& idp_entity_id) {
    init_lasso();
    const std::string metadata = metadata_xml(sp);
    ServerPtr server(lasso_server_new_from_buffers(metadata.c_str(), nullptr, nullptr, nullptr));
    if (!server)
        throw SamlError("the service provider's metadata cannot be read");
    const int rc = lasso_server_add_provider_from_buffer(server.get(), LASSO_PROVIDER_ROLE_IDP, idp_metadata.c_str(),
                                                         nullptr, nullptr);
    if (rc != 0)
        throw SamlError("the identity provider's metadata cannot be used: " + lasso_reason(rc));
    GList* providers = g_hash_table_get_keys(server->providers);
    if (!providers || providers->next) {
        g_list_free(providers);
        throw SamlError("the metadata must describe exactly one identity provider");
    }
    idp_entity_id = static_cast<const char*>(providers->data);
    g_list_free(providers);
    return server;
}

/// The text an attribute value holds (the XML's text content, entities decoded).
std::string value_text(LassoNode* value) {
    xmlNode* xml = lasso_node_get_xmlNode(value, FALSE);
    if (!xml)
        return {};
    xmlChar* content = xmlNodeGetContent(xml);
    std::string text = content ? reinterpret_cast<const char*>(content) : "";
    xmlFree(content);
    xmlFreeNode(xml);
    return text;
}

} // namespace

std::string metadata_xml(const ServiceProvider& sp) {
    const std::string entity = engine::html_escape(sp.entity_id);
    const std::string acs = engine::html_escape(sp.acs_url);
    return R"(<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID=")" +
           entity + R"(">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true"
      protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location=")" +
           acs + R"(" index="0" isDefault="true"/>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location=")" +
           acs + R"(" index="1"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
)";
}

std::string authn_request_url(const ServiceProvider& sp, const std::string& idp_metadata) {
    std::lock_guard lock(lasso_mutex);
    std::string idp;
    ServerPtr server = service_provider(sp, idp_metadata, idp);
    LoginPtr login(lasso_login_new(server.get()));
    lasso_profile_set_signature_hint(LASSO_PROFILE(login.get()), LASSO_PROFILE_SIGNATURE_HINT_FORBID);
    int rc = lasso_login_init_authn_request(login.get(), idp.c_str(), LASSO_HTTP_METHOD_REDIRECT);
    if (rc != 0)
        throw SamlError("the AuthnRequest cannot be made: " + lasso_reason(rc));
    LassoSamlp2AuthnRequest* request = LASSO_SAMLP2_AUTHN_REQUEST(LASSO_PROFILE(login.get())->request);
    g_free(request->ProtocolBinding);
    request->ProtocolBinding = g_strdup(LASSO_SAML2_METADATA_BINDING_POST);
    g_free(request->AssertionConsumerServiceURL);
    request->AssertionConsumerServiceURL = g_strdup(sp.acs_url.c_str());
    rc = lasso_login_build_authn_request_msg(login.get());
    if (rc != 0 || !LASSO_PROFILE(login.get())->msg_url)
        throw SamlError("the AuthnRequest cannot be sent: " + lasso_reason(rc));
    return LASSO_PROFILE(login.get())->msg_url;
}

Assertion consume_response(const ServiceProvider& sp, const std::string& idp_metadata,
                           const std::string& saml_response) {
    std::lock_guard lock(lasso_mutex);
    std::string idp;
    ServerPtr server = service_provider(sp, idp_metadata, idp);
    LoginPtr login(lasso_login_new(server.get()));
    LassoProfile* profile = LASSO_PROFILE(login.get());
    lasso_profile_set_signature_verify_hint(profile, LASSO_PROFILE_SIGNATURE_VERIFY_HINT_FORCE);
    int rc = lasso_login_process_authn_response_msg(login.get(), const_cast<char*>(saml_response.c_str()));
    if (rc != 0)
        throw SamlError("the SAML response is refused: " + lasso_reason(rc));
    rc = lasso_login_accept_sso(login.get());
    if (rc != 0)
        throw SamlError("the SAML assertion is refused: " + lasso_reason(rc));
    LassoNode* node = lasso_login_get_assertion(login.get());
    std::unique_ptr<void, Unref> owned(node);
    if (!LASSO_IS_SAML2_ASSERTION(node))
        throw SamlError("the SAML response carries no assertion");
    LassoSaml2Assertion* assertion = LASSO_SAML2_ASSERTION(node);
    if (lasso_saml2_assertion_validate_conditions(assertion, sp.entity_id.c_str()) != LASSO_SAML2_ASSERTION_VALID)
        throw SamlError("the SAML assertion is not valid now or not for this service");
    Assertion read;
    if (assertion->Subject && assertion->Subject->NameID && assertion->Subject->NameID->content)
        read.name_id = assertion->Subject->NameID->content;
    for (GList* s = assertion->AttributeStatement; s; s = s->next) {
        auto* statement = LASSO_SAML2_ATTRIBUTE_STATEMENT(s->data);
        for (GList* a = statement->Attribute; a; a = a->next) {
            auto* attribute = LASSO_SAML2_ATTRIBUTE(a->data);
            if (!attribute->Name)
                continue;
            auto& values = read.attributes[attribute->Name];
            for (GList* v = attribute->AttributeValue; v; v = v->next) {
                values.push_back(value_text(LASSO_NODE(v->data)));
            }
        }
    }
    if (read.name_id.empty())
        throw SamlError("the SAML assertion names nobody");
    return read;
}

} // namespace slate::api::saml
