package vn.hotline.gateway.channel.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Twilio's Messages resource played by WireMock on localhost, with state: a {@code POST} creates a message (what
 * Twilio then sends) and a {@code GET} lists the messages to a number, newest first, in pages linked by
 * {@code next_page_uri}, as the look-up after an ambiguous send reads them. Twilio does not deduplicate, so "exactly
 * once" is what {@link #created()} shows. Failure modes: {@link #failing()} answers every other send 500 and takes the
 * others, then says nothing until the caller's read time-out (Twilio has the message, the sender cannot know).
 */
public final class FakeTwilio implements ResponseDefinitionTransformerV2 {

    public static final String MESSAGES = "/2010-04-01/Accounts/" + TwilioWebhooks.ACCOUNT_SID + "/Messages.json";
    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A message Twilio created, in the order it did. */
    public record Created(String sid, String to, String body, Instant at) {
    }

    private final List<Created> created = new ArrayList<>();
    private final WireMockServer server;
    private int sends;
    private int lookUps;
    private boolean failing;
    private int stallMillis;
    private int answerMillis;

    public FakeTwilio() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().extensions(this));
        server.start();
        server.stubFor(any(urlPathEqualTo(MESSAGES)).willReturn(aResponse().withTransformers(getName())));
    }

    /** For {@code hotline.twilio.rest-base-url}. */
    public String baseUrl() {
        return server.baseUrl();
    }

    public void stop() {
        server.stop();
    }

    /** Every other send answered 500 (nothing created); the others created, then unanswered for {@code stallMillis}. */
    public synchronized void failing(int stallMillis) {
        this.failing = true;
        this.stallMillis = stallMillis;
    }

    /** Twilio answering again: every send created and answered 201 at once. */
    public synchronized void up() {
        failing = false;
        answerMillis = 0;
    }

    /** Every send created and answered 201 after {@code millis}: a send in flight for that long. */
    public synchronized void answeringAfter(int millis) {
        failing = false;
        answerMillis = millis;
    }

    public synchronized List<Created> created() {
        return List.copyOf(created);
    }

    /** Sends received, whatever their answer. */
    public synchronized int sends() {
        return sends;
    }

    /** List requests received (pages included). */
    public synchronized int lookUps() {
        return lookUps;
    }

    @Override
    public String getName() {
        return "fake-twilio-messages";
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        LoggedRequest request = event.getRequest();
        if (request.getMethod().getName().equals("GET")) {
            lookUps++;
            return json(200, page(request), 0);
        }
        sends++;
        if (failing && sends % 2 == 1) {
            return json(500, "{\"code\": 20500, \"message\": \"Internal Server Error\", \"status\": 500}", 0);
        }
        Map<String, String> form = form(request.getBodyAsString());
        Created message = new Created("SM%032d".formatted(created.size() + 1), form.get("To"), form.get("Body"), Instant.now());
        created.add(message);
        return json(201, JSON.writeValueAsString(resource(message)), failing ? stallMillis : answerMillis);
    }

    private String page(LoggedRequest request) {
        String to = request.queryParameter("To").firstValue();
        int size = Integer.parseInt(request.queryParameter("PageSize").isPresent()
                ? request.queryParameter("PageSize").firstValue() : "50");
        int number = request.queryParameter("Page").isPresent() ? Integer.parseInt(request.queryParameter("Page").firstValue()) : 0;
        List<Created> matching = new ArrayList<>(created.stream().filter(m -> m.to().equals(to)).toList());
        Collections.reverse(matching);
        ObjectNode page = JSON.createObjectNode();
        ArrayNode messages = page.putArray("messages");
        matching.stream().skip((long) number * size).limit(size).forEach(m -> messages.add(resource(m)));
        String query = "?To=" + URLEncoder.encode(to, StandardCharsets.UTF_8) + "&PageSize=" + size + "&Page=";
        page.put("first_page_uri", MESSAGES + query + 0);
        page.put("uri", MESSAGES + query + number);
        page.put("page", number);
        page.put("page_size", size);
        page.put("start", number * size);
        page.put("end", number * size + messages.size() - 1);
        boolean more = (long) (number + 1) * size < matching.size();
        page.put("next_page_uri", more ? MESSAGES + query + (number + 1) + "&PageToken=PA" + (number + 1) : null);
        page.put("previous_page_uri", number > 0 ? MESSAGES + query + (number - 1) : null);
        return JSON.writeValueAsString(page);
    }

    private static ObjectNode resource(Created m) {
        String date = RFC_2822.format(m.at().atOffset(ZoneOffset.UTC));
        ObjectNode resource = JSON.createObjectNode();
        resource.put("sid", m.sid());
        resource.put("account_sid", TwilioWebhooks.ACCOUNT_SID);
        resource.put("to", m.to());
        resource.put("from", "+12025550199");
        resource.put("body", m.body());
        resource.put("status", "queued");
        resource.put("direction", "outbound-api");
        resource.put("num_segments", "1");
        resource.put("date_created", date);
        resource.put("date_updated", date);
        resource.putNull("date_sent");
        resource.put("uri", "/2010-04-01/Accounts/" + TwilioWebhooks.ACCOUNT_SID + "/Messages/" + m.sid() + ".json");
        return resource;
    }

    private static ResponseDefinition json(int status, String body, int delayMillis) {
        ResponseDefinitionBuilder response = new ResponseDefinitionBuilder().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body);
        return (delayMillis > 0 ? response.withFixedDelay(delayMillis) : response).build();
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }
}
