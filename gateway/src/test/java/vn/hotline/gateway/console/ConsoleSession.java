package vn.hotline.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

/** A console user logged in through the real login form: the session cookie and the CSRF token of that session. */
public record ConsoleSession(WebTestClient web, String sessionCookie, String csrfToken) {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    /** Logs in as a fixture user (password from CaseFixtures) through GET and POST /console/login. */
    public static ConsoleSession login(WebTestClient client, String username) {
        // Pages render on a machine shared with other builds: a generous bound, not a performance check.
        WebTestClient web = client.mutate().responseTimeout(java.time.Duration.ofSeconds(30)).build();
        EntityExchangeResult<String> form = web.get().uri("/console/login").exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult();
        String anonymousSession = form.getResponseCookies().getFirst("SESSION").getValue();
        String token = csrf(form.getResponseBody());
        MultiValueMap<String, String> fields = new LinkedMultiValueMap<>();
        fields.add("username", username);
        fields.add("password", "test-password");
        fields.add("_csrf", token);
        EntityExchangeResult<Void> login = web.post().uri("/console/login").cookie("SESSION", anonymousSession)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(fields))
                .exchange().expectStatus().is3xxRedirection()
                .expectHeader().valueEquals("Location", "/console")
                .expectBody().isEmpty();
        ResponseCookie renewed = login.getResponseCookies().getFirst("SESSION");
        String session = renewed == null ? anonymousSession : renewed.getValue();
        String page = web.get().uri("/console").cookie("SESSION", session).exchange()
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
        return new ConsoleSession(web, session, csrf(page));
    }

    static String csrf(String html) {
        Matcher m = CSRF.matcher(html);
        assertThat(m.find()).as("a CSRF field in the page").isTrue();
        return m.group(1);
    }

    public WebTestClient.ResponseSpec get(String uri) {
        return web.get().uri(uri).cookie("SESSION", sessionCookie).exchange();
    }

    /** A GET as a browser makes it, with the Accept header Chromium sends for a page. */
    public WebTestClient.ResponseSpec browse(String uri) {
        return web.get().uri(uri).cookie("SESSION", sessionCookie)
                .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8")
                .exchange();
    }

    String page(String uri) {
        return get(uri).expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    WebTestClient.ResponseSpec post(String uri, String... nameValues) {
        MultiValueMap<String, String> fields = new LinkedMultiValueMap<>();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            fields.add(nameValues[i], nameValues[i + 1]);
        }
        fields.add("_csrf", csrfToken);
        return web.post().uri(uri).cookie("SESSION", sessionCookie)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED).body(BodyInserters.fromFormData(fields)).exchange();
    }

    /** A multipart form (file uploads): each pair is a part name and the file's text. */
    WebTestClient.ResponseSpec upload(String uri, String... nameTexts) {
        org.springframework.http.client.MultipartBodyBuilder body = new org.springframework.http.client.MultipartBodyBuilder();
        for (int i = 0; i + 1 < nameTexts.length; i += 2) {
            body.part(nameTexts[i], new org.springframework.core.io.ByteArrayResource(
                    nameTexts[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                @Override
                public String getFilename() {
                    return "roster.csv";
                }
            }).contentType(new MediaType("text", "csv"));
        }
        body.part("_csrf", csrfToken);
        return web.post().uri(uri).cookie("SESSION", sessionCookie)
                .contentType(MediaType.MULTIPART_FORM_DATA).body(BodyInserters.fromMultipartData(body.build())).exchange();
    }

    WebTestClient.ResponseSpec postWithoutCsrf(String uri) {
        return web.post().uri(uri).cookie("SESSION", sessionCookie).exchange();
    }
}
