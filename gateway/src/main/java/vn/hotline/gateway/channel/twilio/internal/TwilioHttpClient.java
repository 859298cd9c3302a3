package vn.hotline.gateway.channel.twilio.internal;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import java.net.MalformedURLException;
import java.net.URL;
import java.time.Duration;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The SDK's HTTP client with our time-outs, one attempt per call (retries, back-off and the circuit breaker are the
 * sender's, in plain view), and REST calls sent to a configurable base URL so tests can stand WireMock in for Twilio.
 */
final class TwilioHttpClient extends NetworkHttpClient {

    static final String TWILIO_API = "https://api.twilio.com";

    private final String restBaseUrl;

    TwilioHttpClient(String restBaseUrl, Duration connectTimeout, Duration readTimeout) {
        super(RequestConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setResponseTimeout(Timeout.of(readTimeout))
                        .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                        .build(),
                SocketConfig.custom().setSoTimeout(Timeout.of(readTimeout)).build());
        this.restBaseUrl = restBaseUrl.endsWith("/") ? restBaseUrl.substring(0, restBaseUrl.length() - 1) : restBaseUrl;
    }

    @Override
    public Response reliableRequest(Request request) {
        return makeRequest(request);
    }

    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return makeRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
        return super.makeRequest(restBaseUrl.equals(TWILIO_API) ? request : rebased(request));
    }

    private Request rebased(Request request) {
        String path;
        try {
            // The path and any query in the URL itself: a next page's URL carries its own (To, Page, PageToken).
            path = new URL(request.getUrl()).getFile();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("Twilio SDK built a bad URL", e);
        }
        Request copy = new Request(request.getMethod(), restBaseUrl + path);
        request.getQueryParams().forEach((name, values) -> values.forEach(v -> copy.addQueryParam(name, v)));
        request.getPostParams().forEach((name, values) -> values.forEach(v -> copy.addPostParam(name, v)));
        request.getHeaderParams().forEach((name, values) -> values.forEach(v -> copy.addHeaderParam(name, v)));
        if (request.getAuthStrategy() != null) {
            copy.setAuth(request.getAuthStrategy());
        } else if (request.getUsername() != null) {
            copy.setAuth(request.getUsername(), request.getPassword());
        }
        if (request.getContentType() != null) {
            copy.setContentType(request.getContentType());
        }
        return copy;
    }
}
