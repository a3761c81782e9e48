// workers/movie_audio.cpp: the audio path of a normalisation (movie_encode.h).
#include "workers/movie_encode.h"

#include "engine/log.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/samplefmt.h>
}

#include <cmath>
#include <cstdlib>

namespace slate::workers {
namespace {

constexpr int64_t aac_bitrate = 128'000; // FFmpeg's default for AAC in MP4, as Zou gets it
constexpr int silent_sample_rate = 44'100;

/// The rate AAC takes nearest to `wanted`.
int nearest_aac_rate(const AVCodec* codec, int wanted) {
    if (!codec->supported_samplerates)
        return wanted;
    int best = codec->supported_samplerates[0];
    for (const int* rate = codec->supported_samplerates; *rate; ++rate)
        if (std::abs(*rate - wanted) < std::abs(best - wanted))
            best = *rate;
    return best;
}

} // namespace

AudioPath::AudioPath(AVFormatContext* input, int stream_index, Muxer& muxer)
    : m_input(input), m_stream(input->streams[stream_index]), m_muxer(muxer),
      m_decoded(av::make_frame()), m_chunk(av::make_frame()) {
    m_decoder = av::open_decoder(m_stream);
    // FFmpeg's AAC encoder takes 1 to 6 channels, and 8 (a 7-channel input is folded to 6).
    AVChannelLayout layout{};
    const int channels = m_decoder->ch_layout.nb_channels;
    if (channels == 7)
        layout = AV_CHANNEL_LAYOUT_5POINT1_BACK;
    else if (channels < 1 || channels > 8)
        layout = AV_CHANNEL_LAYOUT_STEREO;
    else if (m_decoder->ch_layout.order == AV_CHANNEL_ORDER_NATIVE)
        av::check(av_channel_layout_copy(&layout, &m_decoder->ch_layout), "audio layout");
    else
        av_channel_layout_default(&layout, channels);
    const int rate = m_decoder->sample_rate > 0 ? m_decoder->sample_rate : silent_sample_rate;
    open_encoder(rate, layout);
    av_channel_layout_uninit(&layout);
}

AudioPath::AudioPath(Muxer& muxer)
    : m_muxer(muxer), m_decoded(av::make_frame()), m_chunk(av::make_frame()) {
    const AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    open_encoder(silent_sample_rate, stereo);
}

AudioPath::~AudioPath() {
    av_channel_layout_uninit(&m_resampler_layout);
}

void AudioPath::open_encoder(int sample_rate, const AVChannelLayout& layout) {
    const AVCodec* codec = avcodec_find_encoder_by_name("aac");
    if (!codec)
        throw av::Failure("the AAC encoder is not available");
    m_encoder.reset(avcodec_alloc_context3(codec));
    if (!m_encoder)
        throw std::bad_alloc();
    m_encoder->sample_fmt = AV_SAMPLE_FMT_FLTP;
    m_encoder->sample_rate = nearest_aac_rate(codec, sample_rate);
    av::check(av_channel_layout_copy(&m_encoder->ch_layout, &layout), "audio layout");
    m_encoder->bit_rate = aac_bitrate;
    m_encoder->time_base = {1, m_encoder->sample_rate};
    m_encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    av::check(avcodec_open2(m_encoder.get(), codec, nullptr), "the AAC encoder cannot be opened");
    m_out = m_muxer.add_stream(m_encoder.get());
    m_fifo.reset(
        av_audio_fifo_alloc(AV_SAMPLE_FMT_FLTP, layout.nb_channels, m_encoder->frame_size * 4));
    if (!m_fifo)
        throw std::bad_alloc();
}

void AudioPath::send(const AVPacket* packet) {
    av::send_to_decoder(m_decoder.get(), packet, "the audio cannot be decoded");
    while (av::receive_from_decoder(m_decoder.get(), m_decoded.get(),
                                    "the audio cannot be decoded") == av::Decoded::frame) {
        convert(m_decoded.get());
        av_frame_unref(m_decoded.get());
        encode_from_fifo(false);
    }
}

void AudioPath::convert(const AVFrame* decoded) {
    if (!m_started && decoded) {
        // Where the sound starts relative to the movie: later is a pts offset (the MP4 gets
        // an edit list), earlier is dropped.
        const double seconds = av::frame_seconds(decoded, m_stream, m_input);
        const int64_t offset = std::llround(seconds * m_encoder->sample_rate);
        if (offset > 0)
            m_next_pts = offset;
        else
            m_skip = -offset;
        m_started = true;
    }
    if (decoded && (!m_resampler || decoded->sample_rate != m_resampler_rate ||
                    decoded->format != m_resampler_format ||
                    av_channel_layout_compare(&decoded->ch_layout, &m_resampler_layout) != 0)) {
        if (m_resampler)
            convert(nullptr); // what the old resampler still holds
        SwrContext* raw = nullptr;
        av::check(swr_alloc_set_opts2(&raw, &m_encoder->ch_layout, m_encoder->sample_fmt,
                                      m_encoder->sample_rate,
                                      const_cast<AVChannelLayout*>(&decoded->ch_layout),
                                      static_cast<AVSampleFormat>(decoded->format),
                                      decoded->sample_rate, 0, nullptr),
                  "the audio resampler cannot be made");
        m_resampler.reset(raw);
        av::check(swr_init(m_resampler.get()), "the audio resampler cannot be set up");
        av_channel_layout_uninit(&m_resampler_layout);
        av::check(av_channel_layout_copy(&m_resampler_layout, &decoded->ch_layout), "audio layout");
        m_resampler_rate = decoded->sample_rate;
        m_resampler_format = decoded->format;
    }
    if (!m_resampler)
        return;
    const int in_samples = decoded ? decoded->nb_samples : 0;
    const int room = swr_get_out_samples(m_resampler.get(), in_samples);
    if (room <= 0)
        return;
    av::Frame converted = av::make_frame();
    converted->format = m_encoder->sample_fmt;
    converted->nb_samples = room;
    av::check(av_channel_layout_copy(&converted->ch_layout, &m_encoder->ch_layout), "audio layout");
    av::check(av_frame_get_buffer(converted.get(), 0), "audio buffer");
    const int samples = av::check(
        swr_convert(m_resampler.get(), converted->extended_data, room,
                    decoded ? const_cast<const uint8_t**>(decoded->extended_data) : nullptr,
                    in_samples),
        "the audio cannot be resampled");
    av::check(av_audio_fifo_write(m_fifo.get(), reinterpret_cast<void**>(converted->extended_data),
                                  samples),
              "audio buffer");
    const int64_t dropped = std::min<int64_t>(m_skip, av_audio_fifo_size(m_fifo.get()));
    if (dropped > 0) {
        av_audio_fifo_drain(m_fifo.get(), static_cast<int>(dropped));
        m_skip -= dropped;
    }
}

void AudioPath::encode_from_fifo(bool final) {
    const int frame_size = m_encoder->frame_size;
    for (;;) {
        const int available = av_audio_fifo_size(m_fifo.get());
        if (available <= 0 || (available < frame_size && !final))
            return;
        const int samples = std::min(available, frame_size);
        av_frame_unref(m_chunk.get());
        m_chunk->format = m_encoder->sample_fmt;
        m_chunk->sample_rate = m_encoder->sample_rate;
        m_chunk->nb_samples = samples;
        av::check(av_channel_layout_copy(&m_chunk->ch_layout, &m_encoder->ch_layout),
                  "audio layout");
        av::check(av_frame_get_buffer(m_chunk.get(), 0), "audio buffer");
        av::check(
            av_audio_fifo_read(m_fifo.get(), reinterpret_cast<void**>(m_chunk->data), samples),
            "audio buffer");
        m_chunk->pts = m_next_pts;
        m_next_pts += samples;
        encode(m_chunk.get());
    }
}

void AudioPath::encode(AVFrame* frame) {
    av::check(avcodec_send_frame(m_encoder.get(), frame), "the AAC encoder failed");
    av::Packet packet = av::make_packet();
    for (;;) {
        const int code = avcodec_receive_packet(m_encoder.get(), packet.get());
        if (code == AVERROR(EAGAIN) || code == AVERROR_EOF)
            return;
        av::check(code, "the AAC encoder failed");
        m_muxer.write(packet.get(), m_encoder->time_base, m_out);
    }
}

void AudioPath::fill_silence(double seconds) {
    const int64_t target = std::llround(seconds * m_encoder->sample_rate);
    const int64_t queued = m_next_pts + av_audio_fifo_size(m_fifo.get());
    if (target <= queued)
        return;
    av::Frame silence = av::make_frame();
    silence->format = m_encoder->sample_fmt;
    silence->nb_samples = static_cast<int>(target - queued);
    av::check(av_channel_layout_copy(&silence->ch_layout, &m_encoder->ch_layout), "audio layout");
    av::check(av_frame_get_buffer(silence.get(), 0), "audio buffer");
    av_samples_set_silence(silence->extended_data, 0, silence->nb_samples,
                           silence->ch_layout.nb_channels, m_encoder->sample_fmt);
    av::check(av_audio_fifo_write(m_fifo.get(), reinterpret_cast<void**>(silence->extended_data),
                                  silence->nb_samples),
              "audio buffer");
    encode_from_fifo(false);
}

void AudioPath::finish(double end_seconds) {
    if (m_decoder) {
        send(nullptr);
        if (m_resampler)
            convert(nullptr);
    } else {
        fill_silence(end_seconds); // -shortest: the silence ends with the video
    }
    encode_from_fifo(true); // AAC takes a short last frame
    encode(nullptr);
    if (m_decoder && !m_started)
        log::debug("movie: the audio stream holds no decodable sound; the track is empty");
}

} // namespace slate::workers
