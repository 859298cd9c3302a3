package vn.hotline.gateway.channel.twilio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * Twilio as the tests play it: the exact form fields Twilio posts (names and order from Twilio's webhook reference),
 * signed as Twilio signs them (HMAC-SHA1 of the public URL and the sorted parameters, base64).
 */
public final class TwilioWebhooks {

    public static final String ACCOUNT_SID = "AC00000000000000000000000000000000";
    public static final String AUTH_TOKEN = "test-auth-token-0123456789abcdef";
    public static final String PUBLIC_BASE = "https://hotline.test";
    public static final String HOTLINE = "+12025550111";

    private final WebTestClient web;

    public TwilioWebhooks(WebTestClient web) {
        this.web = web;
    }

    /** The body of Twilio's voice request for a call from {@code from}, plus any extra fields. */
    public static Map<String, String> voice(String callSid, String from, String callStatus, Map<String, String> extra) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("AccountSid", ACCOUNT_SID);
        form.put("ApiVersion", "2010-04-01");
        form.put("CallSid", callSid);
        form.put("CallStatus", callStatus);
        form.put("Called", HOTLINE);
        form.put("CalledCountry", "US");
        form.put("Caller", from);
        form.put("CallerCountry", "VN");
        form.put("Direction", "inbound");
        form.put("From", from);
        form.put("FromCountry", "VN");
        form.put("To", HOTLINE);
        form.put("ToCountry", "US");
        form.putAll(extra);
        return form;
    }

    /** Twilio's inbound SMS form, field for field. */
    public static Map<String, String> sms(String messageSid, String from, String body) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("ToCountry", "US");
        form.put("SmsMessageSid", messageSid);
        form.put("NumMedia", "0");
        form.put("SmsSid", messageSid);
        form.put("SmsStatus", "received");
        form.put("Body", body);
        form.put("To", HOTLINE);
        form.put("NumSegments", "1");
        form.put("MessageSid", messageSid);
        form.put("AccountSid", ACCOUNT_SID);
        form.put("From", from);
        form.put("ApiVersion", "2010-04-01");
        form.put("FromCountry", "VN");
        return form;
    }

    /**
     * A recorded form body from {@code src/test/resources/twilio/fixtures/NAME.form}: header lines {@code # POST path}
     * and {@code # state: changes|same} (does the first delivery change what PostgreSQL holds), then the body exactly
     * as Twilio posts it (URL-encoded, fields in Twilio's order), with {@code ${Name}} placeholders for the values a
     * test chooses. Every placeholder must be given.
     */
    public record Fixture(String name, String path, boolean changesState, Map<String, String> form) {
    }

    public static Fixture fixture(String name, Map<String, String> values) {
        String text;
        try (var in = TwilioWebhooks.class.getResourceAsStream("/twilio/fixtures/" + name + ".form")) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String path = null;
        Boolean changes = null;
        Map<String, String> form = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# POST ")) {
                path = fill(line.substring("# POST ".length()).trim(), values, name);
            } else if (line.startsWith("# state: ")) {
                changes = line.endsWith("changes");
            } else if (!line.startsWith("#") && !line.isBlank()) {
                for (String pair : line.trim().split("&")) {
                    int eq = pair.indexOf('=');
                    form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            fill(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8), values, name));
                }
            }
        }
        if (path == null || changes == null || form.isEmpty()) {
            throw new IllegalArgumentException("fixture " + name + " lacks its path, state line or body");
        }
        return new Fixture(name, path, changes, form);
    }

    private static String fill(String text, Map<String, String> values, String fixture) {
        Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("fixture " + fixture + " needs a value for " + m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    /** Sends the same webhook {@code times} times at once (a provider's retries racing the first delivery); the answers. */
    public static Set<String> distinctAnswers(int times, Callable<String> send) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(times);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                answers.add(senders.submit(send));
            }
            Set<String> distinct = new HashSet<>();
            for (Future<String> answer : answers) {
                distinct.add(answer.get(30, TimeUnit.SECONDS));
            }
            return distinct;
        } finally {
            senders.shutdownNow();
        }
    }

    /** Twilio's signature of a request to {@code pathAndQuery} with these form fields. */
    public static String sign(String pathAndQuery, Map<String, String> form, String token) {
        StringBuilder data = new StringBuilder(PUBLIC_BASE + pathAndQuery);
        new TreeMap<>(form).forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public WebTestClient.ResponseSpec post(String pathAndQuery, Map<String, String> form) {
        return post(pathAndQuery, form, sign(pathAndQuery, form, AUTH_TOKEN));
    }

    public WebTestClient.ResponseSpec post(String pathAndQuery, Map<String, String> form, String signature) {
        MultiValueMap<String, String> body = new LinkedMultiValueMap<>();
        form.forEach(body::add);
        WebTestClient.RequestBodySpec request = web.post().uri(pathAndQuery).contentType(MediaType.APPLICATION_FORM_URLENCODED);
        if (signature != null) {
            request.header("X-Twilio-Signature", signature);
        }
        return request.body(BodyInserters.fromFormData(body)).exchange();
    }

    /** A Twilio call of a 16-year-old scammed online, call-back safe, up to the offer of the reference by text. */
    public String callUpToTheTextOffer(String sid, String caller) {
        twiml("/twilio/voice", voice(sid, caller, "ringing", Map.of()));
        String[] keys = {"4", "3", "31", "1"};
        String reply = "";
        for (int i = 0; i < keys.length; i++) {
            reply = twiml("/twilio/voice/gather?step=" + (i + 1),
                    voice(sid, caller, "in-progress", Map.of("Digits", keys[i], "FinishedOnKey", "")));
        }
        return reply;
    }

    /** A call up to the offer of the reference by text, then 1: the caller asks for it. */
    public void callAskingForTheReferenceByText(String sid, String caller) {
        callUpToTheTextOffer(sid, caller);
        twiml("/twilio/voice/gather?step=5", voice(sid, caller, "in-progress", Map.of("Digits", "1", "FinishedOnKey", "")));
    }

    /** Posts and returns the TwiML, failing unless the answer is 200. */
    public String twiml(String pathAndQuery, Map<String, String> form) {
        return post(pathAndQuery, form).expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }
}
