#include "support/saml_idp.h"

// libxml2 first, outside lasso's extern "C" (its ICU headers are C++).
#include <libxml/tree.h>
#include <libxml/xmlIO.h>
#include <libxml/xpath.h>
#include <xmlsec/xmlsec.h>

#include <lasso/lasso.h>
#include <lasso/saml-2.0/saml2_helper.h>
#include <lasso/xml/misc_text_node.h>
#include <lasso/xml/saml-2.0/saml2_assertion.h>
#include <lasso/xml/saml-2.0/saml2_attribute.h>
#include <lasso/xml/saml-2.0/saml2_attribute_statement.h>
#include <lasso/xml/saml-2.0/saml2_attribute_value.h>
#include <lasso/xml/saml-2.0/saml2_audience_restriction.h>
#include <lasso/xml/saml-2.0/saml2_conditions.h>
#include <lasso/xml/saml-2.0/saml2_name_id.h>
#include <lasso/xml/saml-2.0/saml2_subject.h>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <ctime>
#include <stdexcept>

namespace slate::test {
namespace {

struct KeyAndCertificate {
    std::string key_pem, certificate_pem, certificate_base64;
};

std::string bio_text(BIO* bio) {
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(length));
}

KeyAndCertificate make_key_and_certificate() {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    X509* certificate = X509_new();
    X509_set_version(certificate, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate), static_cast<long>(std::time(nullptr)));
    X509_gmtime_adj(X509_getm_notBefore(certificate), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 24 * 3600);
    X509_set_pubkey(certificate, key);
    X509_NAME* name = X509_get_subject_name(certificate);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("slate-test-idp"), -1,
                               -1, 0);
    X509_set_issuer_name(certificate, name);
    X509_sign(certificate, key, EVP_sha256());
    KeyAndCertificate made;
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    made.key_pem = bio_text(bio);
    BIO_free(bio);
    bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, certificate);
    made.certificate_pem = bio_text(bio);
    BIO_free(bio);
    // The metadata holds the certificate's base64 without the PEM lines.
    std::string body = made.certificate_pem;
    body = body.substr(body.find('\n') + 1);
    body = body.substr(0, body.find("-----END"));
    for (const char c : body)
        if (c != '\n')
            made.certificate_base64.push_back(c);
    X509_free(certificate);
    EVP_PKEY_free(key);
    return made;
}

struct Unref {
    void operator()(void* object) const {
        if (object)
            g_object_unref(object);
    }
};

LassoNode* text_value(const std::string& text) {
    LassoSaml2AttributeValue* value = lasso_saml2_attribute_value_new();
    value->any = g_list_append(value->any, lasso_misc_text_node_new_with_string(text.c_str()));
    return LASSO_NODE(value);
}

std::string iso_time(std::time_t when) {
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&when));
    return text;
}

} // namespace

struct SamlIdentityProvider::Impl {
    std::string sp_metadata;
    KeyAndCertificate keys, stranger;
    std::string metadata;
    int port = 0;
    std::unique_ptr<Poco::Net::HTTPServer> server;

    std::string entity_id() const { return "http://127.0.0.1:" + std::to_string(port) + "/idp"; }
};

namespace {

class MetadataHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit MetadataHandler(const std::string& metadata) : m_metadata(metadata) {}
    void handleRequest(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& response) override {
        response.setContentType("application/samlmetadata+xml");
        response.setContentLength(static_cast<std::streamsize>(m_metadata.size()));
        response.send() << m_metadata;
    }

private:
    const std::string& m_metadata;
};

class MetadataFactory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit MetadataFactory(const std::string& metadata) : m_metadata(metadata) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new MetadataHandler(m_metadata);
    }

private:
    const std::string& m_metadata;
};

} // namespace

SamlIdentityProvider::SamlIdentityProvider(const std::string& sp_metadata) : m_impl(std::make_unique<Impl>()) {
    lasso_init();
    m_impl->sp_metadata = sp_metadata;
    m_impl->keys = make_key_and_certificate();
    m_impl->stranger = make_key_and_certificate();
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    m_impl->port = socket.address().port();
    const std::string base = "http://127.0.0.1:" + std::to_string(m_impl->port);
    m_impl->metadata = R"(<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID=")" +
                       m_impl->entity_id() + R"(">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>)" +
                       m_impl->keys.certificate_base64 +
                       R"(</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location=")" +
                       base + R"(/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
)";
    m_impl->server = std::make_unique<Poco::Net::HTTPServer>(new MetadataFactory(m_impl->metadata), socket,
                                                             new Poco::Net::HTTPServerParams);
    m_impl->server->start();
}

SamlIdentityProvider::~SamlIdentityProvider() {
    m_impl->server->stopAll(true);
}

std::string SamlIdentityProvider::metadata_url() const {
    return "http://127.0.0.1:" + std::to_string(m_impl->port) + "/metadata";
}

std::string SamlIdentityProvider::respond(const std::string& authn_request_url, const std::string& email,
                                          const std::map<std::string, std::vector<std::string>>& attributes,
                                          const Options& options) {
    const auto& keys = options.other_key ? m_impl->stranger : m_impl->keys;
    std::unique_ptr<LassoServer, Unref> server(lasso_server_new_from_buffers(
        m_impl->metadata.c_str(), keys.key_pem.c_str(), nullptr, keys.certificate_pem.c_str()));
    if (!server || lasso_server_add_provider_from_buffer(server.get(), LASSO_PROVIDER_ROLE_SP,
                                                         m_impl->sp_metadata.c_str(), nullptr, nullptr) != 0)
        throw std::runtime_error("the test identity provider cannot be set up");
    std::unique_ptr<LassoLogin, Unref> login(lasso_login_new(server.get()));
    LassoProfile* profile = LASSO_PROFILE(login.get());
    lasso_profile_set_signature_hint(profile, options.sign ? LASSO_PROFILE_SIGNATURE_HINT_FORCE
                                                           : LASSO_PROFILE_SIGNATURE_HINT_FORBID);
    const std::string query = authn_request_url.substr(authn_request_url.find('?') + 1);
    int rc = lasso_login_process_authn_request_msg(login.get(), query.c_str());
    if (rc != 0)
        throw std::runtime_error(std::string("the AuthnRequest is refused: ") + lasso_strerror(rc));
    rc = lasso_login_validate_request_msg(login.get(), TRUE, TRUE);
    if (rc != 0)
        throw std::runtime_error(std::string("the AuthnRequest does not validate: ") + lasso_strerror(rc));
    const std::time_t now = std::time(nullptr);
    rc = lasso_login_build_assertion(login.get(), LASSO_SAML2_AUTHN_CONTEXT_PASSWORD, iso_time(now).c_str(), nullptr,
                                     iso_time(now - 60).c_str(), iso_time(now + 300).c_str());
    if (rc != 0)
        throw std::runtime_error(std::string("the assertion cannot be built: ") + lasso_strerror(rc));
    std::unique_ptr<void, Unref> owned(lasso_login_get_assertion(login.get()));
    LassoSaml2Assertion* assertion = LASSO_SAML2_ASSERTION(owned.get());
    LassoSaml2NameID* name_id = assertion->Subject->NameID;
    g_free(name_id->content);
    name_id->content = g_strdup(email.c_str());
    g_free(name_id->Format);
    name_id->Format = g_strdup(LASSO_SAML2_NAME_IDENTIFIER_FORMAT_EMAIL);
    if (!options.audience.empty() && assertion->Conditions) {
        for (GList* r = assertion->Conditions->AudienceRestriction; r; r = r->next) {
            auto* restriction = LASSO_SAML2_AUDIENCE_RESTRICTION(r->data);
            g_free(restriction->Audience);
            restriction->Audience = g_strdup(options.audience.c_str());
        }
    }
    auto* statement = LASSO_SAML2_ATTRIBUTE_STATEMENT(lasso_saml2_attribute_statement_new());
    for (const auto& [name, values] : attributes) {
        auto* attribute = LASSO_SAML2_ATTRIBUTE(lasso_saml2_attribute_new());
        attribute->Name = g_strdup(name.c_str());
        attribute->NameFormat = g_strdup(LASSO_SAML2_ATTRIBUTE_NAME_FORMAT_BASIC);
        for (const auto& value : values)
            attribute->AttributeValue = g_list_append(attribute->AttributeValue, text_value(value));
        statement->Attribute = g_list_append(statement->Attribute, attribute);
    }
    assertion->AttributeStatement = g_list_append(assertion->AttributeStatement, statement);
    rc = lasso_login_build_authn_response_msg(login.get());
    if (rc != 0 || !profile->msg_body)
        throw std::runtime_error(std::string("the response cannot be built: ") + lasso_strerror(rc));
    return profile->msg_body;
}

} // namespace slate::test
